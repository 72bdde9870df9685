using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AgentBridge.Analyzers.Tests.Verifiers;

/// <summary>
/// The references every test compilation gets, resolved offline: the .NET 10 reference assemblies from
/// Basic.Reference.Assemblies, the real AgentBridge runtime, and the Microsoft.Extensions/ASP.NET Core assemblies its
/// API and the rules mention (requests, routing, MVC, SignalR hubs, claims), taken from the shared framework this test
/// runs on.
/// </summary>
internal static class TestReferences
{
    /// <summary>No package to download: the references come from <see cref="All"/>.</summary>
    public static ReferenceAssemblies Offline { get; } = new("net10.0");

    public static ImmutableArray<MetadataReference> All { get; } = Create();

    private static ImmutableArray<MetadataReference> Create()
    {
        var builder = ImmutableArray.CreateBuilder<MetadataReference>();
        builder.AddRange(Basic.Reference.Assemblies.Net100.References.All);
        builder.Add(MetadataReference.CreateFromFile(typeof(AgentWebSocketBridge).Assembly.Location));

        var framework = Path.GetDirectoryName(typeof(IServiceCollection).Assembly.Location)!;
        foreach (var name in new[]
        {
            "Microsoft.Extensions.DependencyInjection.Abstractions",
            "Microsoft.Extensions.DependencyInjection",
            "Microsoft.Extensions.Logging.Abstractions",
            "Microsoft.Extensions.Options",
            "Microsoft.Extensions.Primitives",
            "Microsoft.Extensions.Identity.Core",
            "Microsoft.AspNetCore.Http.Abstractions",
            "Microsoft.AspNetCore.Http.Features",
            "Microsoft.AspNetCore.Routing",
            "Microsoft.AspNetCore.Routing.Abstractions",
            "Microsoft.AspNetCore.Mvc.Abstractions",
            "Microsoft.AspNetCore.Mvc.Core",
            "Microsoft.AspNetCore.SignalR.Core",
        })
        {
            var path = Path.Combine(framework, name + ".dll");
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{path} is missing: the test references the shared framework the test runs on.");
            }

            builder.Add(MetadataReference.CreateFromFile(path));
        }

        return builder.ToImmutable();
    }
}
