// The AgentChat sample: dotnet run --project samples/AgentChat, then open http://127.0.0.1:5080
AgentChat.AgentChatApp.Create(args).Run();
