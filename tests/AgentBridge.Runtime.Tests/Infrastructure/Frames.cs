using System.Text.Json;

namespace AgentBridge.Runtime.Tests.Infrastructure;

/// <summary>Readers for the fields of received frames.</summary>
public static class Frames
{
    public static string Type(this JsonElement frame) => frame.GetProperty("type").GetString()!;

    public static long Seq(this JsonElement frame) => frame.GetProperty("seq").GetInt64();

    public static JsonElement Data(this JsonElement frame) => frame.GetProperty("data");

    public static string Str(this JsonElement frame, string name) => frame.GetProperty(name).GetString()!;

    public static AgentEvent Probe(string owner, int n) => new("probe", new { owner, n });
}
