using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentBridge.Analyzers.Tests.Verifiers;

/// <summary>
/// What <c>dotnet format analyzers</c> does with a code fix (the SDK's <c>SolutionCodeFixApplier</c>): it takes the
/// first diagnostic of the id, registers its fixes, keeps the equivalence key of the first action — none when that site
/// has no fix — and applies Fix All in solution scope with that key. The sites must all be fixed whichever comes first.
/// </summary>
internal static class DotnetFormat
{
    /// <summary>
    /// Runs it on projects of the given documents (each project referencing the ones before it), starting from the
    /// diagnostic <paramref name="first"/> picks, and returns every document's text afterwards, in order.
    /// </summary>
    public static async Task<string[]> FixAllAsync(
        DiagnosticAnalyzer analyzer,
        CodeFixProvider fixer,
        string[][] projects,
        Func<IReadOnlyList<Diagnostic>, Diagnostic>? first = null)
    {
        using var workspace = new AdhocWorkspace();
        var (solution, documentIds) = CreateSolution(workspace, projects);

        var diagnostics = new Dictionary<Project, ImmutableArray<Diagnostic>>();
        foreach (var project in solution.Projects)
        {
            var compilation = (await project.GetCompilationAsync())!;
            diagnostics[project] = (await compilation.WithAnalyzers(ImmutableArray.Create(analyzer)).GetAnalyzerDiagnosticsAsync())
                .Where(d => fixer.FixableDiagnosticIds.Contains(d.Id))
                .OrderBy(d => d.Location.SourceTree!.FilePath, StringComparer.Ordinal)
                .ThenBy(d => d.Location.SourceSpan.Start)
                .ToImmutableArray();
        }

        var all = solution.Projects.SelectMany(p => diagnostics[p]).ToList();
        Assert.NotEmpty(all);
        var start = (first ?? (list => list[0]))(all);
        var document = solution.GetDocument(start.Location.SourceTree)!;

        CodeAction? action = null;
        await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, start, (a, _) => action ??= a, CancellationToken.None));
        var context = new FixAllContext(
            document,
            fixer,
            FixAllScope.Solution,
            action?.EquivalenceKey!,
            new[] { start.Id },
            new Provider(diagnostics),
            CancellationToken.None);
        var fixAll = await fixer.GetFixAllProvider()!.GetFixAsync(context);
        var changed = solution;
        if (fixAll is not null)
        {
            var operation = (await fixAll.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>().Single();
            changed = operation.ChangedSolution;
        }

        var texts = new List<string>();
        foreach (var id in documentIds)
        {
            texts.Add((await changed.GetDocument(id)!.GetTextAsync()).ToString());
        }

        return texts.ToArray();
    }

    /// <summary>
    /// What the lightbulb offers for the first diagnostic (by file and position) and what its first fix makes of each
    /// document: the titles, and the texts after applying it (the texts before when nothing is offered).
    /// </summary>
    public static async Task<(string[] Titles, string[] Texts)> ApplyFirstFixAsync(DiagnosticAnalyzer analyzer, CodeFixProvider fixer, string[][] projects)
    {
        using var workspace = new AdhocWorkspace();
        var (solution, documentIds) = CreateSolution(workspace, projects);
        var diagnostics = new List<Diagnostic>();
        foreach (var project in solution.Projects)
        {
            var compilation = (await project.GetCompilationAsync())!;
            diagnostics.AddRange(await compilation.WithAnalyzers(ImmutableArray.Create(analyzer)).GetAnalyzerDiagnosticsAsync());
        }

        var first = diagnostics.Where(d => fixer.FixableDiagnosticIds.Contains(d.Id))
            .OrderBy(d => d.Location.SourceTree!.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start).First();
        var actions = new List<CodeAction>();
        await fixer.RegisterCodeFixesAsync(new CodeFixContext(solution.GetDocument(first.Location.SourceTree)!, first, (a, _) => actions.Add(a), CancellationToken.None));
        var changed = solution;
        if (actions.Count > 0)
        {
            changed = (await actions[0].GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>().Single().ChangedSolution;
        }

        var texts = new List<string>();
        foreach (var id in documentIds)
        {
            texts.Add((await changed.GetDocument(id)!.GetTextAsync()).ToString());
        }

        return (actions.Select(a => a.Title).ToArray(), texts.ToArray());
    }

    /// <summary>Projects of the given documents, nullable enabled, each referencing the ones before it.</summary>
    private static (Solution Solution, List<DocumentId> DocumentIds) CreateSolution(AdhocWorkspace workspace, string[][] projects)
    {
        var solution = workspace.CurrentSolution;
        var documentIds = new List<DocumentId>();
        var projectIds = new List<ProjectId>();
        for (var p = 0; p < projects.Length; p++)
        {
            var projectId = ProjectId.CreateNewId();
            solution = solution.AddProject(ProjectInfo.Create(projectId, VersionStamp.Default, $"Project{p}", $"Project{p}", LanguageNames.CSharp)
                .WithCompilationOptions(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable))
                .WithParseOptions(new CSharpParseOptions(LanguageVersion.Latest))
                .WithMetadataReferences(TestReferences.All)
                .WithProjectReferences(projectIds.Select(id => new ProjectReference(id))));
            projectIds.Add(projectId);
            for (var d = 0; d < projects[p].Length; d++)
            {
                var documentId = DocumentId.CreateNewId(projectId);
                solution = solution.AddDocument(documentId, $"Test{d}.cs", projects[p][d], filePath: $"/{p}/Test{d}.cs");
                documentIds.Add(documentId);
            }
        }

        return (solution, documentIds);
    }

    private sealed class Provider(Dictionary<Project, ImmutableArray<Diagnostic>> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            GetProjectDiagnosticsAsync(project, cancellationToken);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(ForProject(document.Project).Where(d => d.Location.SourceTree?.FilePath == document.FilePath).ToList());

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(ForProject(project));

        private ImmutableArray<Diagnostic> ForProject(Project project) =>
            diagnostics.FirstOrDefault(p => p.Key.Id == project.Id).Value.IsDefault ? ImmutableArray<Diagnostic>.Empty : diagnostics.First(p => p.Key.Id == project.Id).Value;
    }
}
