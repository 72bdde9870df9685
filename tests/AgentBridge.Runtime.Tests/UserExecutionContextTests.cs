namespace AgentBridge.Runtime.Tests;

public class UserExecutionContextTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_rejects_a_missing_user_id(string? userId) =>
        Assert.Equal("userId", Assert.ThrowsAny<ArgumentException>(() => UserExecutionContext.Create(userId!, "thread")).ParamName);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("\t")]
    public void Create_rejects_a_missing_thread_id(string? threadId) =>
        Assert.Equal("threadId", Assert.ThrowsAny<ArgumentException>(() => UserExecutionContext.Create("alice", threadId!)).ParamName);

    [Fact]
    public void Create_rejects_blank_run_and_request_ids_when_they_are_given()
    {
        Assert.Throws<ArgumentException>("runId", () => UserExecutionContext.Create("alice", "t", runId: " "));
        Assert.Throws<ArgumentException>("requestId", () => UserExecutionContext.Create("alice", "t", requestId: ""));
    }

    [Fact]
    public void Create_generates_distinct_run_and_request_ids_when_missing()
    {
        var first = UserExecutionContext.Create("alice", "t");
        var second = UserExecutionContext.Create("alice", "t");
        Assert.False(string.IsNullOrWhiteSpace(first.RunId));
        Assert.False(string.IsNullOrWhiteSpace(first.RequestId));
        Assert.NotEqual(first.RunId, second.RunId);
        Assert.NotEqual(first.RequestId, second.RequestId);
    }

    [Fact]
    public void Contexts_compare_by_value()
    {
        var a = UserExecutionContext.Create("alice", "t", "r", "q");
        var b = UserExecutionContext.Create("alice", "t", "r", "q");
        var c = UserExecutionContext.Create("alice", "t", "r2", "q");
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.True(a != c);
        Assert.False(a.Equals(null));
    }

    [Fact]
    public void ToString_does_not_reveal_the_user_id()
    {
        var context = UserExecutionContext.Create("alice-secret-id", "t", "r", "q");
        Assert.DoesNotContain("alice-secret-id", context.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void WithRunId_keeps_user_thread_and_request()
    {
        var context = UserExecutionContext.Create("alice", "t", "r", "q");
        var next = context.WithRunId("r2");
        Assert.Equal(("alice", "t", "r2", "q"), (next.UserId, next.ThreadId, next.RunId, next.RequestId));
    }
}
