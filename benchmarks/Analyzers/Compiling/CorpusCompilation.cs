using System.Collections.Immutable;
using AgentBridge.Benchmarks.Analyzers.Corpus;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.Extensions.DependencyInjection;

namespace AgentBridge.Benchmarks.Analyzers.Compiling;

/// <summary>
/// The corpus, parsed once, and a fresh compilation of it on demand. Every measured operation compiles a new
/// <see cref="CSharpCompilation"/> (nothing bound is reused between operations); the syntax trees and the metadata
/// references are shared, as they are between the compilations an IDE or a compiler server makes.
/// </summary>
internal sealed class CorpusCompilation
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(CreateReferences);

    private readonly CSharpCompilationOptions _options;

    public CorpusCompilation(GeneratedCorpus corpus, bool concurrent = false)
    {
        Corpus = corpus;
        var parseOptions = new CSharpParseOptions(LanguageVersion.CSharp13);
        Trees = corpus.Files
            .Select(file => CSharpSyntaxTree.ParseText(file.Text, parseOptions, path: "/corpus/" + file.Path))
            .ToImmutableArray();

        // Single-threaded by default: on a shared 2-core machine, one thread per compile gives far steadier ratios
        // than the compiler's and the driver's own parallelism (which would only divide every configuration alike).
        _options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            concurrentBuild: concurrent);
    }

    public GeneratedCorpus Corpus { get; }

    public ImmutableArray<SyntaxTree> Trees { get; }

    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    public CSharpCompilation Create() =>
        CSharpCompilation.Create("Contoso.AgentPlatform", Trees, References, _options);

    /// <summary>
    /// The .NET 10 reference assemblies (offline, from Basic.Reference.Assemblies), the AgentBridge runtime as built,
    /// and the Microsoft.Extensions assemblies the corpus uses, from the shared framework this process runs on.
    /// </summary>
    private static ImmutableArray<MetadataReference> CreateReferences()
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
            "Microsoft.Extensions.Logging",
            "Microsoft.Extensions.Options",
            "Microsoft.Extensions.Primitives",
            "Microsoft.Extensions.Identity.Core",
            "Microsoft.AspNetCore.Http.Abstractions",
            "Microsoft.AspNetCore.Http.Features",
            "Microsoft.AspNetCore.Routing",
            "Microsoft.AspNetCore.Routing.Abstractions",
        })
        {
            var path = Path.Combine(framework, name + ".dll");
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{path} is missing: the benchmark references the shared framework it runs on.");
            }

            builder.Add(MetadataReference.CreateFromFile(path));
        }

        return builder.ToImmutable();
    }
}
