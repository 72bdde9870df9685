using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentBridge.Analyzers.Tests.Documentation;

public class RuleDocumentationTests
{
    public static TheoryData<string> RuleIds()
    {
        var data = new TheoryData<string>();
        foreach (var descriptor in Descriptors.All)
        {
            data.Add(descriptor.Id);
        }

        return data;
    }

    private static DiagnosticDescriptor Descriptor(string id) => Descriptors.All.Single(d => d.Id == id);

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Every_rule_has_a_docs_page_titled_with_its_id(string id)
    {
        var page = Path.Combine(AllRules.RepositoryRoot, "docs", "rules", id + ".md");
        Assert.True(File.Exists(page), $"{page} is missing");
        Assert.StartsWith($"# {id}: {Descriptor(id).Title}", File.ReadAllText(page), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Every_help_link_points_at_the_rules_docs_page(string id)
    {
        var link = Descriptor(id).HelpLinkUri;
        Assert.Equal($"https://github.com/agentbridge/agentbridge/blob/main/docs/rules/{id}.md", link);
        var relative = link.Substring(link.IndexOf("/blob/main/", StringComparison.Ordinal) + "/blob/main/".Length);
        Assert.True(File.Exists(Path.Combine(AllRules.RepositoryRoot, relative)), $"{relative} is missing");
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Every_rule_is_tracked_in_the_release_files_with_its_category_and_severity(string id)
    {
        var descriptor = Descriptor(id);
        var folder = Path.Combine(AllRules.RepositoryRoot, "src", "Analyzers");
        var lines = File.ReadAllLines(Path.Combine(folder, "AnalyzerReleases.Shipped.md"))
            .Concat(File.ReadAllLines(Path.Combine(folder, "AnalyzerReleases.Unshipped.md")));
        var entry = lines.Select(l => l.Split('|').Select(p => p.Trim()).ToArray()).SingleOrDefault(p => p[0] == id);
        Assert.NotNull(entry);
        Assert.Equal("AgentBridge.Usage", entry[1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), entry[2]);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Every_rule_is_in_category_AgentBridge_Usage_and_enabled_by_default(string id)
    {
        Assert.Equal("AgentBridge.Usage", Descriptor(id).Category);
        Assert.True(Descriptor(id).IsEnabledByDefault);
    }

    [Fact]
    public void Default_severities_are_those_of_the_spec()
    {
        Assert.Equal(DiagnosticSeverity.Info, Descriptor("AGB0004").DefaultSeverity);
        Assert.All(new[] { "AGB0001", "AGB0002", "AGB0003", "AGB0005" }, id => Assert.Equal(DiagnosticSeverity.Warning, Descriptor(id).DefaultSeverity));
    }

    [Fact]
    public void Every_descriptor_is_reported_by_exactly_one_shipped_analyzer()
    {
        var supported = AllRules.Analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToList();
        Assert.Equal(Descriptors.All.Select(d => d.Id).OrderBy(x => x), supported.OrderBy(x => x));
    }

    [Fact]
    public void Every_analyzer_in_the_assembly_is_shipped_and_tested()
    {
        var inAssembly = typeof(Descriptors).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => t.Name)
            .OrderBy(x => x);
        Assert.Equal(inAssembly, AllRules.Analyzers.Select(a => a.GetType().Name).OrderBy(x => x));
    }
}
