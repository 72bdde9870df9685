using System.Text.Json;

namespace AgentBridge.Runtime.Tests.Infrastructure;

/// <summary>
/// Checks a stream of AG-UI events the way @ag-ui/core 1.0.0's schemas and @ag-ui/client 1.0.0's verifier do, for the
/// event types AgentBridge sends: the fields of each type (required ones present, no field the schema does not know,
/// which the client would strip with a warning), RUN_STARTED first, one RUN_FINISHED or RUN_ERROR last, and every text
/// message, reasoning message and span, tool call and step opened before use and closed before RUN_FINISHED.
/// </summary>
public static class AgUiVerifier
{
    private static readonly string[] Common = ["type", "timestamp", "rawEvent", "metadata"];

    private static readonly Dictionary<string, (string[] Required, string[] Optional)> Shapes = new()
    {
        ["RUN_STARTED"] = (["threadId", "runId"], ["protocolVersion", "parentRunId", "input"]),
        ["RUN_FINISHED"] = (["threadId", "runId"], ["result", "outcome", "usage"]),
        ["RUN_ERROR"] = (["message"], ["code", "usage"]),
        ["STEP_STARTED"] = (["stepName"], ["subagentRunId"]),
        ["STEP_FINISHED"] = (["stepName"], ["subagentRunId"]),
        ["TEXT_MESSAGE_START"] = (["messageId"], ["subagentRunId", "role", "name"]),
        ["TEXT_MESSAGE_CONTENT"] = (["messageId", "delta"], ["subagentRunId"]),
        ["TEXT_MESSAGE_END"] = (["messageId"], ["subagentRunId"]),
        ["TOOL_CALL_START"] = (["toolCallId", "toolCallName"], ["subagentRunId", "parentMessageId"]),
        ["TOOL_CALL_ARGS"] = (["toolCallId", "delta"], ["subagentRunId"]),
        ["TOOL_CALL_END"] = (["toolCallId"], ["subagentRunId"]),
        ["TOOL_CALL_RESULT"] = (["messageId", "toolCallId", "content"], ["subagentRunId", "role"]),
        ["REASONING_START"] = (["messageId"], ["subagentRunId"]),
        ["REASONING_MESSAGE_START"] = (["messageId", "role"], ["subagentRunId"]),
        ["REASONING_MESSAGE_CONTENT"] = (["messageId", "delta"], ["subagentRunId"]),
        ["REASONING_MESSAGE_END"] = (["messageId"], ["subagentRunId"]),
        ["REASONING_END"] = (["messageId"], ["subagentRunId"]),
        ["CUSTOM"] = (["name", "value"], ["subagentRunId"]),
    };

    public static void Verify(IReadOnlyList<JsonElement> events)
    {
        Assert.NotEmpty(events);
        Assert.Equal("RUN_STARTED", events[0].Type());
        var text = new HashSet<string>();
        var reasoning = new HashSet<string>();
        var spans = new HashSet<string>();
        var calls = new HashSet<string>();
        var steps = new HashSet<string>();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var type = e.Type();
            CheckShape(e, type);
            if (i > 0 && type is "RUN_STARTED")
            {
                Assert.Fail($"event {i}: a second RUN_STARTED in one run");
            }

            if (type is "RUN_FINISHED" or "RUN_ERROR")
            {
                Assert.True(i == events.Count - 1, $"event {i}: {type} is not the last event");
            }

            switch (type)
            {
                case "TEXT_MESSAGE_START": Assert.True(text.Add(Id(e)), $"event {i}: text message {Id(e)} already open"); break;
                case "TEXT_MESSAGE_CONTENT": Assert.True(text.Contains(Id(e)), $"event {i}: content of a text message that is not open"); break;
                case "TEXT_MESSAGE_END": Assert.True(text.Remove(Id(e)), $"event {i}: end of a text message that is not open"); break;
                case "REASONING_START": Assert.True(spans.Add(Id(e)), $"event {i}: reasoning span already open"); break;
                case "REASONING_END": Assert.True(spans.Remove(Id(e)), $"event {i}: end of a reasoning span that is not open"); break;
                case "REASONING_MESSAGE_START": Assert.True(reasoning.Add(Id(e)), $"event {i}: reasoning message already open"); break;
                case "REASONING_MESSAGE_CONTENT": Assert.True(reasoning.Contains(Id(e)), $"event {i}: content of a reasoning message that is not open"); break;
                case "REASONING_MESSAGE_END": Assert.True(reasoning.Remove(Id(e)), $"event {i}: end of a reasoning message that is not open"); break;
                case "TOOL_CALL_START": Assert.True(calls.Add(e.Str("toolCallId")), $"event {i}: tool call already open"); break;
                case "TOOL_CALL_ARGS": Assert.True(calls.Contains(e.Str("toolCallId")), $"event {i}: args of a tool call that is not open"); break;
                case "TOOL_CALL_END": Assert.True(calls.Remove(e.Str("toolCallId")), $"event {i}: end of a tool call that is not open"); break;
                case "STEP_STARTED": Assert.True(steps.Add(e.Str("stepName")), $"event {i}: step already open"); break;
                case "STEP_FINISHED": Assert.True(steps.Remove(e.Str("stepName")), $"event {i}: step not open"); break;
                case "RUN_FINISHED":
                    Assert.True(text.Count + reasoning.Count + spans.Count + calls.Count + steps.Count == 0, $"RUN_FINISHED with something still open: {string.Join(", ", text.Concat(reasoning).Concat(spans).Concat(calls).Concat(steps))}");
                    break;
            }
        }

        Assert.Contains(events[^1].Type(), new[] { "RUN_FINISHED", "RUN_ERROR" });
    }

    private static string Id(JsonElement e) => e.Str("messageId");

    private static void CheckShape(JsonElement e, string type)
    {
        Assert.True(Shapes.TryGetValue(type, out var shape), $"unexpected AG-UI event type {type}");
        foreach (var property in e.EnumerateObject())
        {
            Assert.True(Common.Contains(property.Name) || shape.Required.Contains(property.Name) || shape.Optional.Contains(property.Name), $"{type} has a field the schema does not know: {property.Name}");
        }

        foreach (var name in shape.Required)
        {
            Assert.True(e.TryGetProperty(name, out var value), $"{type} lacks {name}");
            if (name is not ("value" or "content"))
            {
                Assert.Equal(JsonValueKind.String, value.ValueKind);
            }
        }

        Assert.Equal(JsonValueKind.Number, e.GetProperty("timestamp").ValueKind);
        if (e.TryGetProperty("result", out var result))
        {
            Assert.NotEqual(JsonValueKind.Null, result.ValueKind);
        }
    }
}
