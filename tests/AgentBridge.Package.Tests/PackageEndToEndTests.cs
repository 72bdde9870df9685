using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace AgentBridge.Package.Tests;

public sealed partial class PackageEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("agentbridge-e2e-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file for a moment; the temp folder is the OS's to clean.
        }
    }

    [Fact]
    public async Task The_package_ships_the_analyzers_that_warn_in_a_consumer_build_and_dotnet_format_fixes_them()
    {
        var repository = FindRepositoryRoot();
        var feed = Path.Combine(_root, "feed");
        var packages = Path.Combine(_root, "packages");
        var consumer = Path.Combine(_root, "consumer");
        var version = "0.0.0-e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);

        // 1. Pack (the runtime and both analyzer projects were built before this test project).
        var pack = await DotNet.RunAsync(repository, packages, "pack", Path.Combine("src", "Runtime", "AgentBridge.csproj"), "--no-build",
            "-c", Configuration, "-o", feed, "-p:PackageVersion=" + version);
        Assert.True(pack.ExitCode == 0, pack.Output);
        var nupkg = Path.Combine(feed, $"AgentBridge.{version}.nupkg");
        using (var archive = System.IO.Compression.ZipFile.OpenRead(nupkg))
        {
            var entries = archive.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("analyzers/dotnet/cs/AgentBridge.Analyzers.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/AgentBridge.CodeFixes.dll", entries);
            Assert.Contains("lib/net8.0/AgentBridge.dll", entries);
            Assert.Contains("lib/net10.0/AgentBridge.dll", entries);
            Assert.Contains("README.md", entries);

            using var nuspec = new StreamReader(archive.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            var metadata = nuspec.ReadToEnd();
            Assert.Contains("<license type=\"expression\">MIT</license>", metadata, StringComparison.Ordinal);
            Assert.Contains("<readme>README.md</readme>", metadata, StringComparison.Ordinal);
            Assert.Contains("<repository type=\"git\" url=\"https://github.com/agentbridge/agentbridge\"", metadata, StringComparison.Ordinal);
        }

        // The symbols package carries the PDBs beside it.
        using (var symbols = System.IO.Compression.ZipFile.OpenRead(Path.Combine(feed, $"AgentBridge.{version}.snupkg")))
        {
            var entries = symbols.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("lib/net8.0/AgentBridge.pdb", entries);
            Assert.Contains("lib/net10.0/AgentBridge.pdb", entries);
        }

        // 2. A consumer build shows the warnings, with their ids and lines.
        ConsumerProject.Write(consumer, feed, version);
        var build = await DotNet.RunAsync(consumer, packages, "build", "Consumer.csproj", "-v", "q", "-nologo");
        output.WriteLine(build.Output);
        Assert.True(build.ExitCode == 0, build.Output);
        Assert.Equal(
            ConsumerProject.ExpectedWarnings.OrderBy(w => w.Line).ThenBy(w => w.Id),
            Warnings(build.Output).OrderBy(w => w.Line).ThenBy(w => w.Id));

        // The types file is read from the consumer's AdditionalFiles: its line that names nothing is reported there.
        Assert.Matches(@"AgentBridge\.Types\.txt\(2,1\): warning AGB0008", build.Output);

        // 3. dotnet format applies the fixes; the result compiles and only the sites without a fix remain.
        var format = await DotNet.RunAsync(consumer, packages, "format", "analyzers", "Consumer.csproj",
            "--diagnostics", "AGB0001", "AGB0002", "AGB0003", "AGB0004", "AGB0006", "AGB0007", "--severity", "info", "--no-restore");
        output.WriteLine(format.Output);
        Assert.True(format.ExitCode == 0, format.Output);

        var fixedSource = File.ReadAllText(Path.Combine(consumer, ConsumerProject.AgentFile));
        output.WriteLine(fixedSource);
        Assert.Contains("services.AddAgentBridge()", fixedSource, StringComparison.Ordinal);
        Assert.Contains("_bridgeFactory.Create(context).EmitAsync(new AgentEvent(AgentEventTypes.AgentThinking), ct)", fixedSource, StringComparison.Ordinal);
        Assert.Contains("SetWebSocketManagerAsync(_manager, context)", fixedSource, StringComparison.Ordinal);
        Assert.Contains("var other = _bridgeFactory.Create(context);", fixedSource, StringComparison.Ordinal);
        Assert.Contains("await using var run = await factory.Create(context).BeginRunAsync(\"summary\", ct);", fixedSource, StringComparison.Ordinal);
        Assert.Contains("UserExecutionContext.Create(http.User.FindFirstValue(ClaimTypes.NameIdentifier)!, \"thread\")", fixedSource, StringComparison.Ordinal);
        Assert.StartsWith("using System.Security.Claims;", fixedSource, StringComparison.Ordinal);

        var rebuild = await DotNet.RunAsync(consumer, packages, "build", "Consumer.csproj", "-v", "q", "-nologo");
        output.WriteLine(rebuild.Output);
        Assert.True(rebuild.ExitCode == 0, rebuild.Output);
        Assert.DoesNotContain(" error ", rebuild.Output, StringComparison.Ordinal);
        // Left, by design: the static bridge (no mechanical fix) and the started event with no completion on the
        // exception path (the work must move into a run scope).
        Assert.Equal(new[] { "AGB0002", "AGB0006" }, Warnings(rebuild.Output).Select(w => w.Id).Order());
    }

    private static List<(int Line, string Id)> Warnings(string buildOutput) =>
        WarningPattern().Matches(buildOutput)
            .Where(m => m.Groups["file"].Value.EndsWith(ConsumerProject.AgentFile, StringComparison.Ordinal))
            .Select(m => (int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups["id"].Value))
            .Distinct()
            .ToList();

    [GeneratedRegex(@"(?<file>[^\s(]+)\((?<line>\d+),\d+\): warning (?<id>AGB\d{4})")]
    private static partial Regex WarningPattern();

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AgentBridge.Analyzers.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("AgentBridge.Analyzers.sln not found above " + AppContext.BaseDirectory);
    }
}
