namespace AgentBridge.Package.Tests;

/// <summary>A fresh project that references the packed AgentBridge from a local feed, as a user would.</summary>
internal static class ConsumerProject
{
    public const string AgentFile = "Agents.cs";

    public static void Write(string folder, string feed, string version)
    {
        Directory.CreateDirectory(folder);

        // Nothing from the repository (or /tmp) above is inherited, and only the local feed is used: offline.
        File.WriteAllText(Path.Combine(folder, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(folder, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"), "<Project />");
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(folder, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="AgentBridge" Version="{version}" />
                <AdditionalFiles Include="AgentBridge.Types.txt" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, AgentFile), Source);
        File.WriteAllText(Path.Combine(folder, "AgentBridge.Types.txt"), Types);
    }

    // Line numbers matter: the test asserts them (see ExpectedWarnings).
    public const string Source = """
        using AgentBridge;
        using Microsoft.Extensions.DependencyInjection;

        namespace Consumer;

        public static class Startup
        {
            public static AgentWebSocketBridge? Shared { get; set; }

            public static void Configure(IServiceCollection services) =>
                services.AddSingleton<AgentWebSocketBridge>();
        }

        public sealed class Agent
        {
            private readonly WebSocketConnectionManager _manager;
            private readonly AgentRegistry _registry;

            public Agent(WebSocketConnectionManager manager, AgentRegistry registry)
            {
                _manager = manager;
                _registry = registry;
            }

            public async Task RunAsync(UserExecutionContext context, AgentWebSocketBridge bridge, CancellationToken ct)
            {
                await bridge.EmitAgentStartedAsync("agent", ct);
                await _manager.SendToUserAsync(context.UserId, new AgentEvent(AgentEventTypes.AgentThinking), ct);
                await _registry.SetWebSocketManagerAsync(_manager);
                var other = new AgentWebSocketBridge(_manager);
                await other.EmitAgentCompletedAsync("agent", cancellationToken: ct);
            }

            public async Task SummarizeAsync(IAgentWebSocketBridgeFactory factory, Microsoft.AspNetCore.Http.HttpContext http, CancellationToken ct)
            {
                var context = UserExecutionContext.Create(http.Request.Query["userId"].ToString(), "thread");
                await factory.Create(context).BeginRunAsync("summary", ct);
            }
        }
        """;

    /// <summary>An AgentBridge types file with one line that names nothing (AGB0008 at line 2).</summary>
    public const string Types = """
        # the hub the team had before AgentBridge
        send M:Consumer.SocketHub.PushAsync(System.String)
        """;

    /// <summary>(line, id) of every warning the build must show for <see cref="Source"/>.</summary>
    public static readonly (int Line, string Id)[] ExpectedWarnings =
    {
        (8, "AGB0002"),
        (11, "AGB0002"),
        (14, "AGB0005"),
        (27, "AGB0006"),
        (28, "AGB0001"),
        (29, "AGB0003"),
        (30, "AGB0003"),
        (36, "AGB0007"),
        (37, "AGB0006"),
    };
}
