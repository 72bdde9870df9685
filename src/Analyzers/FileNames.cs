using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;

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

    /// <summary>The set of <paramref name="names"/> (of the constants above) that <see cref="AnyIn(INamedTypeSymbol, ulong, CancellationToken)"/> takes.</summary>
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

    /// <summary>Whether a file of <paramref name="type"/> has one of the names of <paramref name="set"/>.</summary>
    public bool AnyIn(INamedTypeSymbol type, ulong set, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if ((Found(reference.SyntaxTree, cancellationToken) & set) != 0)
            {
                return true;
            }
        }

        return false;
    }

    private ulong Found(SyntaxTree tree, CancellationToken cancellationToken)
    {
        if (_found.TryGetValue(tree, out var found))
        {
            return found;
        }

        var text = tree.GetText(cancellationToken).ToString();
        found = 0;
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

        return _found.GetOrAdd(tree, found);
    }
}
