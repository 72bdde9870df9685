// The AgentChat sample: dotnet run --project samples/AgentChat, then open http://127.0.0.1:5080
// (more than one instance: add --redis 127.0.0.1:6379 --urls http://127.0.0.1:5081 to each, with its own port)
AgentChat.AgentChatApp.Create(args).Run();
