// The server of the JavaScript client's tests: dotnet run --project tests/AgentBridge.ClientTestHost -- --urls http://127.0.0.1:0
AgentBridge.ClientTestHost.TestHostApp.Create(args).Run();
