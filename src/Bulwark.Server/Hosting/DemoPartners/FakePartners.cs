using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bulwark.Server.Hosting.DemoPartners;

// FAKES. These are not partners: they are local stand-ins that answer the way the partners' documentation says (for
// ThreatExchange, Meta's Graph API reference; for TCAP, its public API documentation as docs/exchanges.md records it). `--demo` serves
// them on loopback with invented hashes of generated pictures, and the tests drive them, with faults, against both databases.

/// <summary>What a fake partner does to the next request instead of answering it properly.</summary>
public enum Fault { None, Http500, Hang, Malformed }

/// <summary>A local HTTP server (Kestrel on a loopback port) whose routes a fake partner defines; every request is recorded.</summary>
public sealed class FakeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    public string Url { get; }
    public ConcurrentQueue<(string Method, string PathAndQuery, string? Authorization, string Body)> Requests { get; } = new();
    /// <summary>Faults applied to the next requests, one each.</summary>
    public ConcurrentQueue<Fault> Faults { get; } = new();

    private FakeServer(WebApplication app, string url) { _app = app; Url = url; }

    public static async Task<FakeServer> StartAsync(Func<HttpContext, string, Task> handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeServer? self = null;
        app.Run(async http =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            self!.Requests.Enqueue((http.Request.Method, http.Request.Path + http.Request.QueryString, http.Request.Headers.Authorization.ToString(), body));
            if (self.Faults.TryDequeue(out var fault) && fault != Fault.None)
            {
                switch (fault)
                {
                    case Fault.Http500: http.Response.StatusCode = 500; await http.Response.WriteAsync("internal error"); return;
                    case Fault.Hang: await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { }); return;
                    case Fault.Malformed: http.Response.ContentType = "application/json"; await http.Response.WriteAsync("{\"data\": [ {\"id\": "); return;
                }
            }
            await handle(http, body);
        });
        await app.StartAsync();
        self = new FakeServer(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>
/// A fake ThreatExchange privacy group following the documented <c>threat_updates</c> behaviour: indicators newer than
/// <c>since</c> in update order, <c>limit</c> per page, <c>paging.next</c> with <c>cursors.after</c> while more remain,
/// tombstones with <c>should_delete</c>; reactions and descriptors posted are recorded. Needs the bearer token.
/// </summary>
public sealed class FakeThreatExchange
{
    public const string Token = "te-test-token|secret";
    public sealed record Indicator(string Id, string Type, string Value, long Updated, bool Delete, string Status = "MALICIOUS", string[]? Tags = null);
    public List<Indicator> Indicators { get; } = [];
    public int PageSize { get; set; } = 2;
    public FakeServer Server { get; private set; } = null!;
    public ConcurrentQueue<string> Reactions { get; } = new();
    public ConcurrentQueue<string> Descriptors { get; } = new();

    public static async Task<FakeThreatExchange> StartAsync()
    {
        var fake = new FakeThreatExchange();
        fake.Server = await FakeServer.StartAsync(fake.HandleAsync);
        return fake;
    }

    private async Task HandleAsync(HttpContext http, string body)
    {
        if (http.Request.Headers.Authorization != $"Bearer {Token}") { http.Response.StatusCode = 401; await http.Response.WriteAsync("{\"error\":{\"message\":\"Invalid OAuth access token\"}}"); return; }
        var path = http.Request.Path.Value!;
        if (http.Request.Method == "POST" && path.EndsWith("/reactions", StringComparison.Ordinal))
        {
            // The server has read the body already (to record it): the form is parsed from that text.
            var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(body);
            Reactions.Enqueue($"{path.Split('/')[2]}:{form["reactions"]}");
            await http.Response.WriteAsync("{\"success\":true}");
            return;
        }
        if (http.Request.Method == "POST" && path.EndsWith("/threat_descriptors", StringComparison.Ordinal))
        {
            var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(body);
            Descriptors.Enqueue($"{form["type"]}:{form["indicator"]}:{form["status"]}");
            await http.Response.WriteAsync("{\"id\":\"999\"}");
            return;
        }
        if (!path.EndsWith("/threat_updates", StringComparison.Ordinal)) { http.Response.StatusCode = 404; return; }
        var since = long.TryParse(http.Request.Query["since"], out var s) ? s : 0;
        var after = int.TryParse(http.Request.Query["after"], out var a) ? a : 0;
        List<Indicator> all;
        lock (Indicators) all = Indicators.Where(i => i.Updated > since || (since == 0 && i.Updated >= 0)).OrderBy(i => i.Updated).ThenBy(i => i.Id).ToList();
        var page = all.Skip(after).Take(PageSize).ToList();
        var data = new JsonArray(page.Select(i => (JsonNode)new JsonObject
        {
            ["id"] = i.Id, ["indicator"] = i.Value, ["type"] = i.Type, ["last_updated"] = i.Updated, ["should_delete"] = i.Delete,
            ["descriptors"] = new JsonObject { ["data"] = new JsonArray(new JsonObject
            {
                ["id"] = $"d{i.Id}", ["owner"] = new JsonObject { ["id"] = "42", ["name"] = "Fictional Partner" }, ["status"] = i.Status,
                ["tags"] = new JsonArray((i.Tags ?? []).Select(t => (JsonNode)JsonValue.Create(t)!).ToArray()),
            }) },
        }).ToArray());
        var result = new JsonObject { ["data"] = data };
        if (after + PageSize < all.Count)
            result["paging"] = new JsonObject { ["cursors"] = new JsonObject { ["after"] = (after + PageSize).ToString(CultureInfo.InvariantCulture) }, ["next"] = $"{Server.Url}{path}?after={after + PageSize}" };
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(result.ToJsonString());
    }
}

