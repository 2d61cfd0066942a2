using System.Collections.Concurrent;
using System.Text.Json;
using Bulwark.Core.Records.StatementsOfReasons;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bulwark.Tests.Infrastructure;

/// <summary>
/// A local stand-in for the DSA Transparency Database submission API, following its documented behaviour: bearer token
/// (401 without), <c>POST /api/v1/statement</c> answering 201 with the stored statement and a uuid, 422 with
/// <c>{message, errors:{field:[…]}}</c> for invalid statements and, for a puid the platform already used, 422 with the
/// puid error and the <c>existing</c> statement. <see cref="Script"/> queues status codes (429, 500…) to answer first.
/// </summary>
public sealed class FakeTransparencyDatabase : IAsyncDisposable
{
    public const string Token = "X|test-token-0123456789";
    private readonly WebApplication _app;
    public ConcurrentDictionary<string, string> Stored { get; } = new();
    public ConcurrentQueue<int> Script { get; } = new();
    public int Requests;
    public Uri BaseUri { get; }

    private FakeTransparencyDatabase(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public static async Task<FakeTransparencyDatabase> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeTransparencyDatabase? self = null;
        app.MapPost("/api/v1/statement", async (HttpContext http) =>
        {
            Interlocked.Increment(ref self!.Requests);
            if (http.Request.Headers.Authorization.ToString() != $"Bearer {Token}")
                return Results.Json(new { message = "Unauthenticated." }, statusCode: 401);
            if (self.Script.TryDequeue(out var scripted))
            {
                if (scripted == 429) http.Response.Headers.RetryAfter = "0";
                return Results.Json(new { message = scripted == 429 ? "Too Many Attempts." : "Server Error" }, statusCode: scripted);
            }
            StatementOfReasons statement;
            try { statement = await JsonSerializer.DeserializeAsync<StatementOfReasons>(http.Request.Body, StatementOfReasons.Json) ?? throw new JsonException(); }
            catch (JsonException) { return Results.Json(new { message = "The given data was invalid." }, statusCode: 400); }
            var errors = SorValidator.Validate(statement);
            if (errors.Count > 0)
                return Results.Json(new { message = $"{errors[0].Field} {errors[0].Message}", errors = errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()) }, statusCode: 422);
            var uuid = Guid.NewGuid().ToString();
            if (!self.Stored.TryAdd(statement.Puid!, uuid))
                return Results.Json(new
                {
                    message = "The identifier given is not unique within this platform.",
                    errors = new Dictionary<string, string[]> { ["puid"] = ["The identifier given is not unique within this platform."] },
                    existing = new { puid = statement.Puid, uuid = self.Stored[statement.Puid!] },
                }, statusCode: 422);
            return Results.Json(new { uuid, puid = statement.Puid }, statusCode: 201);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new FakeTransparencyDatabase(app, new Uri(address + "/"));
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
