using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core.Security;
using Bulwark.Core.Signals;
using Bulwark.Core.Signals.Exchange;
using Bulwark.Core.Signals.KnownContent;
using Bulwark.Core.Storage;
using Bulwark.Server.Hosting.DemoPartners;
using Bulwark.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Exchange;

/// <summary>Bulwark as a source: a bank published as a signed exchange, pulled incrementally by another Bulwark's exchange client.</summary>
public class ExchangeApiTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_published_bank_is_pulled_page_by_page_by_another_Bulwark_which_checks_the_signature(DatabaseProvider provider)
    {
        var keys = Path.Combine(Path.GetTempPath(), "bulwark-tests", Guid.NewGuid().ToString("N"), "exchange.pem");
        await using var host = await ApiHost.StartAsync(provider, new() { ["Bulwark:Exchanges:SigningKeyPath"] = keys, ["Bulwark:Exchanges:WorkerEnabled"] = "false" });
        var banks = host.Services.GetRequiredService<BankService>();
        await banks.CreateBankAsync("shared-list", new BankSettings("fictional shared list"), "tester", default);
        var added = await banks.AddEntriesAsync("shared-list", [
            new NewEntry("md5", KnownSignalTypes.Md5Hex("one"), ["radicalisation-recruitment-or-instruction"]),
            new NewEntry("md5", KnownSignalTypes.Md5Hex("two")),
            new NewEntry("url", "example.org/fictional-channel"),
        ], false, "tester", default);

        // Publishing is a policy admin's act; bad input is named.
        var reader = host.Client(await host.KeyAsync(Scopes.Read));
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/v1/exchange-publications", new { name = "shared", bank = "shared-list" })).StatusCode);
        var policy = host.Client(await host.KeyAsync(Scopes.PolicyAdmin));
        var missing = await policy.PostAsJsonAsync("/api/v1/exchange-publications", new { name = "shared", bank = "no-such-bank" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("no-such-bank", await missing.Content.ReadAsStringAsync());
        var published = await policy.PostAsJsonAsync("/api/v1/exchange-publications", new { name = "shared", bank = "shared-list", labels = new[] { "from:bulwark-a" } });
        Assert.Equal(HttpStatusCode.Created, published.StatusCode);

        // The feed needs the pull scope.
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/v1/exchange-feeds/shared")).StatusCode);
        var pull = host.Client(await host.KeyAsync(Scopes.ExchangesPull));
        var pem = await pull.GetStringAsync("/api/v1/exchange-feeds/shared/key");
        var bad = await pull.GetAsync("/api/v1/exchange-feeds/shared?checkpoint=nonsense");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        // Another Bulwark reaches this one over HTTP (a loopback relay in front of the test server), two entries a page.
        var tamper = false;
        var relay = await FakeServer.StartAsync(async (http, _) =>
        {
            var answer = await pull.GetAsync($"/api/v1/exchange-feeds/shared{http.Request.QueryString}&limit=2");
            var body = await answer.Content.ReadAsByteArrayAsync();
            if (tamper) body = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(body).Replace("from:bulwark-a", "from:someone-else"));
            http.Response.StatusCode = (int)answer.StatusCode;
            if (answer.Headers.TryGetValues(ExchangePublisher.SignatureHeader, out var sig)) http.Response.Headers[ExchangePublisher.SignatureHeader] = sig.First();
            http.Response.ContentType = "application/json";
            await http.Response.Body.WriteAsync(body);
        });
        await using var _ = relay;
        await using var consumer = await CoreServices.CreateAsync(provider, new()
        {
            ["Bulwark:Exchanges:WorkerEnabled"] = "false", ["Bulwark:Exchanges:AllowedInternal:0"] = "127.0.0.1",
            ["Bulwark:Exchanges:Partners:0:Name"] = "bulwark-a", ["Bulwark:Exchanges:Partners:0:Kind"] = ExchangeKinds.Bulwark,
            ["Bulwark:Exchanges:Partners:0:Url"] = relay.Url + "/api/v1/exchange-feeds/shared", ["Bulwark:Exchanges:Partners:0:Bank"] = "from-a",
            ["Bulwark:Exchanges:Partners:0:PublicKey"] = pem,
        });
        var sync = consumer.Get<ExchangeSyncService>();
        var first = await sync.SyncAsync("bulwark-a", "tester", default);
        Assert.True(first.Ok, first.Fetch.Error);
        Assert.Equal((2, 3), (first.Fetch.Pages, first.Fetch.Created));
        await using (var db = consumer.Get<IBulwarkDbFactory>().Create())
        {
            var entries = await db.BankEntries.AsNoTracking().ToListAsync();
            Assert.Equal(3, entries.Count);
            Assert.All(entries, e => Assert.Contains("from:bulwark-a", e.LabelsJson));
            Assert.Contains(entries, e => e.LabelsJson.Contains("radicalisation-recruitment-or-instruction"));
        }

        // A withdrawn entry arrives as a delete; an unchanged feed changes nothing.
        await banks.SetEntryEnabledAsync("shared-list", added.Added[1].Id, false, "tester", default);
        var second = await sync.SyncAsync("bulwark-a", "tester", default);
        Assert.True(second.Ok, second.Fetch.Error);
        Assert.Equal((0, 1), (second.Fetch.Created, second.Fetch.Deleted));
        var third = await sync.SyncAsync("bulwark-a", "tester", default);
        Assert.Equal(0, third.Fetch.Created + third.Fetch.Deleted + third.Fetch.Updated);

        // A page altered on the way is refused whole.
        await banks.AddEntriesAsync("shared-list", [new NewEntry("md5", KnownSignalTypes.Md5Hex("three"))], false, "tester", default);
        tamper = true;
        var tampered = await sync.SyncAsync("bulwark-a", "tester", default);
        Assert.Equal(FetchOutcome.Failed, tampered.Fetch.Outcome);
        Assert.Contains("signature does not verify", tampered.Fetch.Error);
        await using (var db = consumer.Get<IBulwarkDbFactory>().Create())
            Assert.Equal(3, await db.BankEntries.CountAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task The_exchange_api_lists_partners_without_their_token_and_pauses_and_resumes_them(DatabaseProvider provider)
    {
        await using var host = await ApiHost.StartAsync(provider, new()
        {
            ["Bulwark:Exchanges:WorkerEnabled"] = "false",
            ["Bulwark:Exchanges:Partners:0:Name"] = "tcap", ["Bulwark:Exchanges:Partners:0:Kind"] = ExchangeKinds.Tcap,
            ["Bulwark:Exchanges:Partners:0:Url"] = "https://tcap.invalid", ["Bulwark:Exchanges:Partners:0:Bank"] = "tcap-hashes",
            ["Bulwark:Exchanges:Partners:0:Username"] = "fictional-platform", ["Bulwark:Exchanges:Partners:0:Password"] = "very-secret-token",
        });
        var list = await host.Admin.GetStringAsync("/api/v1/exchanges");
        Assert.Contains("\"tcap-hashes\"", list);
        Assert.DoesNotContain("very-secret-token", list);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Admin.PostAsync("/api/v1/exchanges/nobody/pause", null)).StatusCode);
        var paused = await host.Admin.PostAsJsonAsync("/api/v1/exchanges/tcap/pause", new { reason = "partner maintenance" });
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.Equal("paused", JsonDocument.Parse(await paused.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        // A misspelt field is refused, naming it, and changes nothing (it would otherwise resume without the reason given).
        foreach (var (path, body) in new[] { ("/api/v1/exchanges/tcap/resume", "{\"reasn\":\"back from maintenance\"}"), ("/api/v1/exchanges/tcap/pause", "{\"reason\":\"x\",\"until\":\"tomorrow\"}") })
        {
            var unknown = await host.Admin.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
            Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(await unknown.Content.ReadAsStringAsync()).RootElement;
            var field = body.Contains("reasn") ? "reasn" : "until";
            Assert.Contains($"{field}: unknown field", problem.GetProperty("detail").GetString());
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        }
        Assert.Equal("paused", JsonDocument.Parse(await host.Admin.GetStringAsync("/api/v1/exchanges")).RootElement[0].GetProperty("status").GetString());
        var policy = host.Client(await host.KeyAsync(Scopes.PolicyAdmin));
        var publishTypo = await policy.PostAsync("/api/v1/exchange-publications", new StringContent("{\"name\":\"shared\",\"bank\":\"tcap-hashes\",\"label\":[\"x\"]}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, publishTypo.StatusCode);
        Assert.Contains("label: unknown field", await publishTypo.Content.ReadAsStringAsync());

        var tooLong = await host.Admin.PostAsJsonAsync("/api/v1/exchanges/tcap/resume", new { reason = new string('x', 1001) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("reason", await tooLong.Content.ReadAsStringAsync());
        var resumed = await host.Admin.PostAsync("/api/v1/exchanges/tcap/resume", null);
        Assert.Equal("active", JsonDocument.Parse(await resumed.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }
}
