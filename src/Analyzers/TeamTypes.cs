using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AgentBridge.Analyzers;

/// <summary>
/// A team's own socket manager and emitters, listed in AdditionalFiles named <c>AgentBridge.Types.txt</c> (or
/// <c>AgentBridge.*.txt</c>): one entry a line, <c>#</c> comments, ids in the documentation-comment-id form of
/// BannedApiAnalyzers. <c>send M:…</c> is a direct send (AGB0001, AGB0005); <c>emitter T:…</c> is a per-user emitter
/// that must never be a singleton (AGB0002) and counts as the bridge path (AGB0005). Lines that are malformed or name
/// nothing are kept as <see cref="Problems"/> for AGB0008.
/// </summary>
internal sealed class TeamTypes
{
    public const string SendKind = "send";
    public const string EmitterKind = "emitter";

    private static readonly char[] Whitespace = { ' ', '\t' };

    public static readonly TeamTypes None = new TeamTypes(
        new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default),
        new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default),
        ImmutableArray<TypesFileProblem>.Empty,
        hasFiles: false);

    private readonly SymbolSet<IMethodSymbol> _sends;
    private readonly SymbolSet<INamedTypeSymbol> _sendTypes;
    private readonly SymbolSet<INamedTypeSymbol> _emitters;

    private TeamTypes(HashSet<IMethodSymbol> sends, HashSet<INamedTypeSymbol> emitters, ImmutableArray<TypesFileProblem> problems, bool hasFiles)
    {
        _sends = new SymbolSet<IMethodSymbol>(sends);
        _emitters = new SymbolSet<INamedTypeSymbol>(emitters);
        _sendTypes = new SymbolSet<INamedTypeSymbol>(new HashSet<INamedTypeSymbol>(sends.Select(send => send.ContainingType), SymbolEqualityComparer.Default));
        Problems = problems;
        HasFiles = hasFiles;
    }

    /// <summary>Whether the compilation has at least one AgentBridge types file.</summary>
    public bool HasFiles { get; }

    /// <summary>The lines that are malformed or name nothing, in file and line order.</summary>
    public ImmutableArray<TypesFileProblem> Problems { get; }

    public bool HasSends => _sends.Count > 0;

    /// <summary>The names of the <c>send</c> methods.</summary>
    public IEnumerable<string> SendNames => _sends.Items.Select(send => send.Name);

    public bool HasEmitters => _emitters.Count > 0;

    /// <summary>Whether the file at <paramref name="path"/> is an AgentBridge types file by its name.</summary>
    public static bool IsTypesFile(string path)
    {
        var name = Path.GetFileName(path);
        return name.StartsWith("AgentBridge.", StringComparison.OrdinalIgnoreCase)
            && name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase)
            && name.Length > "AgentBridge.".Length + ".txt".Length;
    }

    /// <summary>A call of a <c>send</c> member.</summary>
    public bool IsSend(IMethodSymbol method) =>
        _sends.Count > 0 && method.ContainingType is { } type && _sendTypes.Contains(type.OriginalDefinition) && _sends.Contains(method.OriginalDefinition);

    /// <summary>A public instance method of an <c>emitter</c> type.</summary>
    public bool IsEmitterMethod(IMethodSymbol method) =>
        _emitters.Count > 0
        && method is { IsStatic: false, MethodKind: MethodKind.Ordinary, DeclaredAccessibility: Accessibility.Public }
        && method.ContainingType is { } type && _emitters.Contains(type.OriginalDefinition);

    /// <summary>An <c>emitter</c> type or a type derived from one.</summary>
    public bool IsEmitter(ITypeSymbol? type)
    {
        if (_emitters.Count == 0)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.OriginalDefinition is INamedTypeSymbol named && _emitters.Contains(named))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads every AgentBridge types file of the compilation's additional files.</summary>
    public static TeamTypes Read(Compilation compilation, ImmutableArray<AdditionalText> additionalFiles, CancellationToken cancellationToken)
    {
        var sends = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        var emitters = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        var problems = ImmutableArray.CreateBuilder<TypesFileProblem>();
        var hasFiles = false;
        foreach (var file in additionalFiles)
        {
            if (!IsTypesFile(file.Path))
            {
                continue;
            }

            hasFiles = true;
            var text = file.GetText(cancellationToken);
            if (text is null)
            {
                continue;
            }

            foreach (var line in text.Lines)
            {
                ReadLine(compilation, file.Path, text, line, sends, emitters, problems);
            }
        }

        return hasFiles ? new TeamTypes(sends, emitters, problems.ToImmutable(), hasFiles: true) : None;
    }

    private static void ReadLine(
        Compilation compilation,
        string path,
        SourceText text,
        TextLine line,
        HashSet<IMethodSymbol> sends,
        HashSet<INamedTypeSymbol> emitters,
        ImmutableArray<TypesFileProblem>.Builder problems)
    {
        var content = text.ToString(line.Span);
        var comment = content.IndexOf('#');
        var entry = (comment < 0 ? content : content.Substring(0, comment)).Trim();
        if (entry.Length == 0)
        {
            return;
        }

        // The problem is reported on the entry itself, without the indentation and the comment.
        var start = line.Start + content.IndexOf(entry, StringComparison.Ordinal);
        var span = new TextSpan(start, entry.Length);
        void Problem(string message) => problems.Add(new TypesFileProblem(path, span, text.Lines.GetLinePositionSpan(span), message));

        var parts = entry.Split(Whitespace, StringSplitOptions.RemoveEmptyEntries);
        var kind = parts[0];
        if (kind != SendKind && kind != EmitterKind)
        {
            Problem($"'{kind}' is not a kind of entry: a line is 'send M:Namespace.Type.Method(ParameterTypes)' or 'emitter T:Namespace.Type'");
            return;
        }

        var prefix = kind == SendKind ? "M:" : "T:";
        if (parts.Length != 2 || !parts[1].StartsWith(prefix, StringComparison.Ordinal) || parts[1].Length == prefix.Length)
        {
            Problem(kind == SendKind
                ? "a 'send' entry is one method's documentation-comment id: 'send M:Namespace.Type.Method(ParameterTypes)'"
                : "an 'emitter' entry is one type's documentation-comment id: 'emitter T:Namespace.Type'");
            return;
        }

        var id = parts[1];
        var found = false;
        foreach (var symbol in DocumentationCommentId.GetSymbolsForDeclarationId(id, compilation))
        {
            if (kind == SendKind && symbol is IMethodSymbol method)
            {
                sends.Add(method.OriginalDefinition);
                found = true;
            }
            else if (kind == EmitterKind && symbol is INamedTypeSymbol type)
            {
                emitters.Add(type.OriginalDefinition);
                found = true;
            }
        }

        if (!found)
        {
            Problem($"'{id}' names nothing in this compilation (check the namespace, the type and the parameter types)");
        }
    }
}

/// <summary>A line of an AgentBridge types file that AGB0008 reports.</summary>
internal sealed class TypesFileProblem
{
    public TypesFileProblem(string path, TextSpan span, LinePositionSpan lineSpan, string message)
    {
        Path = path;
        Span = span;
        LineSpan = lineSpan;
        Message = message;
    }

    public string Path { get; }

    public TextSpan Span { get; }

    public LinePositionSpan LineSpan { get; }

    public string Message { get; }

    public Location ToLocation() => Location.Create(Path, Span, LineSpan);
}

/// <summary>
/// A set of symbols that every invocation of a compilation is looked up in. A types file lists a handful: a scan that
/// compares references is cheaper than hashing a symbol (its hash walks its namespaces); a long list is hashed.
/// </summary>
internal sealed class SymbolSet<T>
    where T : class, ISymbol
{
    private const int ScanLimit = 16;
    private readonly ImmutableArray<T> _items;
    private readonly HashSet<T>? _hashed;

    public SymbolSet(HashSet<T> items)
    {
        _items = items.ToImmutableArray();
        _hashed = _items.Length > ScanLimit ? items : null;
    }

    public int Count => _items.Length;

    public ImmutableArray<T> Items => _items;

    public bool Contains(T symbol)
    {
        if (_hashed is not null)
        {
            return _hashed.Contains(symbol);
        }

        foreach (var item in _items)
        {
            if (SymbolEqualityComparer.Default.Equals(item, symbol))
            {
                return true;
            }
        }

        return false;
    }
}
