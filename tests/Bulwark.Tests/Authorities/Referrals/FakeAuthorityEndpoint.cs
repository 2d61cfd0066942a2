using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bulwark.Tests.Authorities.Referrals;

public sealed record AuthorityRequest(IReadOnlyDictionary<string, string> Headers, byte[] Body);

/// <summary>
/// A law-enforcement intake endpoint as Bulwark's referral protocol describes it (a POST of the package; a 2xx with
/// <c>{"receipt": "…"}</c> acknowledges it). Each test decides the answer: down (503), garbage, slow (held until released), or a receipt.
/// It deduplicates by the idempotency key as a real recipient should, and counts distinct packages taken in.
/// </summary>
public sealed class FakeAuthorityEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    public ConcurrentQueue<AuthorityRequest> Received { get; } = new();
    public ConcurrentDictionary<string, int> TakenIn { get; } = new();
    public Func<AuthorityRequest, Task<(int Status, string Body)>> Respond { get; set; } = Receipt;
    public string Url { get; }

    public static Task<(int, string)> Receipt(AuthorityRequest r) => Task.FromResult((201, $$"""{"receipt":"LE-{{r.Headers.GetValueOrDefault("Bulwark-Idempotency-Key")}}"}"""));
    public static Task<(int, string)> Down(AuthorityRequest _) => Task.FromResult((503, "Service Unavailable"));
    public static Task<(int, string)> Garbage(AuthorityRequest _) => Task.FromResult((200, "<html><body>Welcome to the intake portal</body></html>"));

    private FakeAuthorityEndpoint(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public static async Task<FakeAuthorityEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeAuthorityEndpoint? self = null;
        app.Run(async http =>
        {
            using var ms = new MemoryStream();
            await http.Request.Body.CopyToAsync(ms);
            var request = new AuthorityRequest(http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), ms.ToArray());
            self!.Received.Enqueue(request);
            var (status, body) = await self.Respond(request);
            // Only an answer with a receipt means the intake took the package in (the garbage answer is a portal page, not the intake).
            if (status is >= 200 and < 300 && body.Contains("\"receipt\"", StringComparison.Ordinal)) self.TakenIn.AddOrUpdate(request.Headers.GetValueOrDefault("Bulwark-Idempotency-Key") ?? "", 1, (_, n) => n + 1);
            http.Response.StatusCode = status;
            await http.Response.WriteAsync(body);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new FakeAuthorityEndpoint(app, address + "/intake");
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
