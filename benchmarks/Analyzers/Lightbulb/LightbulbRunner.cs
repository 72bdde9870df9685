using System.Collections.Immutable;
using System.Reflection;
using AgentBridge.Benchmarks.Analyzers.AnalyzerSets;
using AgentBridge.Benchmarks.Analyzers.Compiling;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentBridge.Benchmarks.Analyzers.Lightbulb;

/// <summary>
/// What the IDE does for the lightbulb of one diagnostic, and what it does when the user picks the fix: the document is
/// in a workspace, its compilation and the AGB diagnostics are already computed (live analysis did that); registering
/// is <see cref="CodeFixProvider.RegisterCodeFixesAsync"/> for the diagnostic, applying is the chosen action's
/// <see cref="CodeAction.GetOperationsAsync(CancellationToken)"/> up to the changed document's text.
/// The code fixes are found in AgentBridge.CodeFixes.dll by their export attribute, as a host finds them.
/// </summary>
internal sealed class LightbulbRunner
{
    private static readonly Lazy<LightbulbRunner> LazyInstance = new(() => new LightbulbRunner());

    private readonly Dictionary<string, (Diagnostic Diagnostic, CodeFixProvider Fixer)> _sites = new(StringComparer.Ordinal);

    private LightbulbRunner()
    {
        Text = LightbulbDocument.Generate();
        // Lives as long as the process: the documents of its solution are what every measurement works on.
        var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Lightbulb", "Lightbulb", LanguageNames.CSharp)
            .WithCompilationOptions(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable))
            .WithParseOptions(new CSharpParseOptions(LanguageVersion.CSharp13))
            .WithMetadataReferences(CorpusCompilation.References));
        Document = workspace.AddDocument(DocumentInfo.Create(
            DocumentId.CreateNewId(project.Id),
            "TriageService.cs",
            loader: TextLoader.From(TextAndVersion.Create(Microsoft.CodeAnalysis.Text.SourceText.From(Text), VersionStamp.Default)),
            filePath: LightbulbDocument.Path));
        Fixers = LoadFixers();
    }

    public static LightbulbRunner Instance => LazyInstance.Value;

    public string Text { get; }

    public int LineCount => Text.Count(c => c == '\n');

    public Document Document { get; }

    public ImmutableArray<CodeFixProvider> Fixers { get; }

    /// <summary>The live-analysis state: the compilation, the semantic model and the AGB diagnostics of the document.</summary>
    public void Warm()
    {
        if (_sites.Count > 0)
        {
            return;
        }

        var compilation = Document.Project.GetCompilationAsync().GetAwaiter().GetResult()!;
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The lightbulb document does not compile: " + string.Join("; ", errors.Take(5)));
        }

        _ = Document.GetSemanticModelAsync().GetAwaiter().GetResult();
        var diagnostics = compilation.WithAnalyzers(AnalyzerConfigurations.Instance.AgentBridgeRules).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        foreach (var id in LightbulbDocument.RuleIds)
        {
            var diagnostic = diagnostics.Where(d => d.Id == id).OrderBy(d => d.Location.SourceSpan.Start).FirstOrDefault()
                ?? throw new InvalidOperationException($"The lightbulb document has no {id} diagnostic.");
            var fixer = Fixers.SingleOrDefault(f => f.FixableDiagnosticIds.Contains(id))
                ?? throw new InvalidOperationException($"No code fix for {id} in AgentBridge.CodeFixes.dll.");
            _sites[id] = (diagnostic, fixer);
        }
    }

    /// <summary>Registers the fixes of the rule's diagnostic: what the lightbulb waits for.</summary>
    public List<CodeAction> Register(string ruleId)
    {
        var (diagnostic, fixer) = _sites[ruleId];
        var actions = new List<CodeAction>();
        fixer.RegisterCodeFixesAsync(new CodeFixContext(Document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None)).GetAwaiter().GetResult();
        return actions;
    }

    /// <summary>Applies the first fix of the rule's diagnostic: what choosing it costs. Returns the new text.</summary>
    public string Apply(CodeAction action)
    {
        var operations = action.GetOperationsAsync(CancellationToken.None).GetAwaiter().GetResult();
        var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetDocument(Document.Id)!;
        return changed.GetTextAsync().GetAwaiter().GetResult().ToString();
    }

    /// <summary>Throws unless every rule offers a fix and the fix changes the document.</summary>
    public string Check()
    {
        Warm();
        var results = new List<string>();
        foreach (var id in LightbulbDocument.RuleIds)
        {
            var actions = Register(id);
            if (actions.Count == 0)
            {
                throw new InvalidOperationException($"{id}: no fix offered in the lightbulb document.");
            }

            var text = Apply(actions[0]);
            if (text == Text)
            {
                throw new InvalidOperationException($"{id}: the fix '{actions[0].Title}' changed nothing.");
            }

            results.Add($"{id} '{actions[0].Title}'");
        }

        return string.Join(", ", results);
    }

    private static ImmutableArray<CodeFixProvider> LoadFixers()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "AgentBridge.CodeFixes.dll");
        var assembly = Assembly.LoadFrom(path);
        return assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t, nonPublic: true)!)
            .ToImmutableArray();
    }
}
