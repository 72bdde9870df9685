using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace AgentBridge.ClientTestHost;

/// <summary>Builds the test host: the AgentBridge runtime as an app would wire it, plus what the client's tests script.</summary>
public static class TestHostApp
{
    /// <summary>Builds the app. Every <c>AgentBridge:*</c> configuration value (e.g. on the command line) sets the option of that name.</summary>
    /// <param name="args">Command-line arguments, e.g. <c>--urls http://127.0.0.1:0 --AgentBridge:ReplayWindowSize=20</c>.</param>
    /// <returns>The app, ready to run.</returns>
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddSingleton<TokenStore>();
        builder.Services
            .AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, configureOptions: null);
        builder.Services.AddAuthorization();
        var section = builder.Configuration.GetSection("AgentBridge");
        builder.Services.AddAgentBridge(options => section.Bind(options));
        builder.Services.AddSingleton<ScriptedRuns>();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();

        // Issues a bearer token for any user id (this host is for tests only) and sets it as a cookie too.
        app.MapGet("/login", (string? user, TokenStore tokens, HttpContext http) =>
        {
            if (string.IsNullOrWhiteSpace(user) || user.Length > 64)
            {
                return Results.BadRequest();
            }

            var token = tokens.Issue(user);
            http.Response.Cookies.Append(TokenAuthenticationHandler.CookieName, token, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict });
            return Results.Ok(new { token });
        });

        app.MapPost("/emit", (EmitRequest request, ClaimsPrincipal user, ScriptedRuns runs) =>
            Results.Accepted(value: runs.StartBurst(UserId(user), request))).RequireAuthorization();

        app.MapPost("/run", (RunRequest request, ClaimsPrincipal user, ScriptedRuns runs) =>
            runs.StartRun(UserId(user), request) is { } started ? Results.Accepted(value: started) : Results.BadRequest()).RequireAuthorization();

        app.MapAgentBridge("/events");

        // The same socket behind the authorization middleware: a plain GET then answers 401 to a signed-out user,
        // which is what the client's authentication check asks.
        app.MapAgentBridge("/events-authorized").RequireAuthorization();
        return app;
    }

    private static string UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier)!;
}
