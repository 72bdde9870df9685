using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentBridge.Analyzers;

/// <summary>
/// Which of the member names the rules look for appear in each file's text, read once per file and compilation for
/// all the rules. A call is written with its method's name, so a type none of whose files has that name has no such
/// call, and a rule need not watch its calls at all: in most code, no callback for each of its invocations. The
/// decision about a call that is watched is still made on symbols.
/// </summary>
internal sealed class FileNames
{
    public const string SendToUserAsync = "SendToUserAsync";
    public const string SendToConnectionAsync = "SendToConnectionAsync";
    public const string BroadcastAsync = "BroadcastAsync";
    public const string AddSingleton = "AddSingleton";
    public const string AddKeyedSingleton = "AddKeyedSingleton";
    public const string SetWebSocketManager = "SetWebSocketManager";
    public const string Create = "Create";
    public const string BeginRunAsync = "BeginRunAsync";
    public const string EmitAgentStartedAsync = "EmitAgentStartedAsync";

    /// <summary>Stands for any <c>send</c> method of the types files.</summary>
    public const string TeamSend = "\u0000team send";

    private static readonly ImmutableArray<string> Fixed = ImmutableArray.Create(
        SendToUserAsync, SendToConnectionAsync, BroadcastAsync, AddSingleton, AddKeyedSingleton, SetWebSocketManager, Create, BeginRunAsync, EmitAgentStartedAsync);

    private readonly ImmutableArray<string> _teamSends;
    private readonly ConcurrentDictionary<SyntaxTree, ulong> _found = new ConcurrentDictionary<SyntaxTree, ulong>();

    public FileNames(IEnumerable<string> teamSends) => _teamSends = ImmutableArray.CreateRange(teamSends);

    /// <summary>The set of <paramref name="names"/> (of the constants above), as <see cref="In"/> answers.</summary>
    public static ulong Set(params string[] names)
    {
        ulong set = 0;
        foreach (var name in names)
        {
            var index = name == TeamSend ? Fixed.Length : Fixed.IndexOf(name);
            if (index < 0)
            {
                throw new ArgumentException(name + " is not one of the names files are read for.", nameof(names));
            }

            set |= 1UL << index;
        }

        return set;
    }

    /// <summary>Which of the names (a set as <see cref="Set"/> makes) the files of <paramref name="type"/> have.</summary>
    public ulong In(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        ulong found = 0;
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            found |= Found(reference.SyntaxTree, cancellationToken);
        }

        return found;
    }

    private ulong Found(SyntaxTree tree, CancellationToken cancellationToken)
    {
        if (_found.TryGetValue(tree, out var found))
        {
            return found;
        }

        return _found.GetOrAdd(tree, NamesIn(tree.GetText(cancellationToken).ToString()));
    }

    /// <summary>
    /// Which of the names a call has in its syntax (<c>x.SendToUserAsync(…)</c>, <c>AddSingleton&lt;T&gt;(…)</c>,
    /// <c>x?.Create(…)</c>), or every name when the call is written without one (a delegate's invocation).
    /// </summary>
    public ulong InCall(SyntaxNode call)
    {
        var name = call is InvocationExpressionSyntax invocation
            ? invocation.Expression switch
            {
                MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
                SimpleNameSyntax simple => simple.Identifier.ValueText,
                _ => null,
            }
            : null;
        return name is null ? ulong.MaxValue : NamesIn(name);
    }

    private ulong NamesIn(string text)
    {
        ulong found = 0;
        for (var i = 0; i < Fixed.Length; i++)
        {
            if (text.IndexOf(Fixed[i], StringComparison.Ordinal) >= 0)
            {
                found |= 1UL << i;
            }
        }

        foreach (var send in _teamSends)
        {
            if (text.IndexOf(send, StringComparison.Ordinal) >= 0)
            {
                found |= 1UL << Fixed.Length;
                break;
            }
        }

        return found;
    }
}
