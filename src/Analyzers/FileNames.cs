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

    private static readonly ulong SendToUserBit = Set(SendToUserAsync);
    private static readonly ulong SendToConnectionBit = Set(SendToConnectionAsync);
    private static readonly ulong BroadcastBit = Set(BroadcastAsync);
    private static readonly ulong AddSingletonBit = Set(AddSingleton);
    private static readonly ulong AddKeyedSingletonBit = Set(AddKeyedSingleton);
    private static readonly ulong SetWebSocketManagerBit = Set(SetWebSocketManager);
    private static readonly ulong CreateBit = Set(Create);
    private static readonly ulong BeginRunBit = Set(BeginRunAsync);
    private static readonly ulong AgentStartedBit = Set(EmitAgentStartedAsync);
    private static readonly ulong TeamSendBit = Set(TeamSend);

    private readonly ImmutableArray<string> _teamSends;

    // Values boxed: a dictionary of reference types runs on the framework's shared, precompiled code, where one of
    // ulong values would be compiled afresh in every build.
    private readonly ConcurrentDictionary<SyntaxTree, object> _found = new ConcurrentDictionary<SyntaxTree, object>();

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
        if (!_found.TryGetValue(tree, out var found))
        {
            found = _found.GetOrAdd(tree, NamesIn(tree.GetText(cancellationToken).ToString()));
        }

        return (ulong)found;
    }

    /// <summary>
    /// Which of the names a call is written with (<c>x.SendToUserAsync(…)</c>, <c>AddSingleton&lt;T&gt;(…)</c>,
    /// <c>x?.Create(…)</c>): the method names the rules accept, matched exactly (<c>TryAddSingleton</c> and
    /// <c>SetWebSocketManagerAsync</c> included), or every name when the call is written without one (a delegate's
    /// invocation).
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
        if (name is null)
        {
            return ulong.MaxValue;
        }

        switch (name)
        {
            case SendToUserAsync:
                return SendToUserBit;
            case SendToConnectionAsync:
                return SendToConnectionBit;
            case BroadcastAsync:
                return BroadcastBit;
            case AddSingleton:
            case "TryAddSingleton":
                return AddSingletonBit;
            case AddKeyedSingleton:
            case "TryAddKeyedSingleton":
                return AddKeyedSingletonBit;
            case SetWebSocketManager:
            case "SetWebSocketManagerAsync":
                return SetWebSocketManagerBit;
            case Create:
                return CreateBit;
            case BeginRunAsync:
                return BeginRunBit;
            case EmitAgentStartedAsync:
                return AgentStartedBit;
        }

        foreach (var send in _teamSends)
        {
            if (send == name)
            {
                return TeamSendBit;
            }
        }

        return 0;
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
