namespace AgentBridge.StackExchangeRedis.Tests.Infrastructure;

/// <summary>
/// Whether the tests can run a real redis-server: without one on PATH they are skipped, visibly and with the reason,
/// unless <c>AGENTBRIDGE_REQUIRE_REDIS=1</c> (set by .ci/run) turns the skip into a failure.
/// </summary>
public static class RedisRequirement
{
    public const string RequireVariable = "AGENTBRIDGE_REQUIRE_REDIS";

    private static readonly Lazy<string?> RedisServer = new(() => FindOnPath("redis-server"));
    private static readonly Lazy<string?> RedisCli = new(() => FindOnPath("redis-cli"));

    public static string ServerPath => Require(RedisServer.Value, "redis-server", "redis-server");

    public static string CliPath => Require(RedisCli.Value, "redis-cli", "redis-tools");

    private static bool Required => Environment.GetEnvironmentVariable(RequireVariable) is "1" or "true";

    private static string Require(string? path, string program, string package)
    {
        if (path is not null)
        {
            return path;
        }

        var reason = $"{program} was not found on PATH: install it (apt-get install {package}) to run the Redis scale-out tests.";
        if (Required)
        {
            throw new InvalidOperationException(reason + $" {RequireVariable}=1 makes this a failure rather than a skip.");
        }

        Skip.If(true, reason);
        return program;
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
