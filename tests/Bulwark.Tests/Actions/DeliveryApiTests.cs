using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core.Actions;
using Bulwark.Core.Actions.Webhooks;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Actions;

/// <summary>The delivery API through the real server: subscriptions, an action reaching a receiver through the worker, the pull feed, dead letters.</summary>
public class DeliveryApiTests
{
    private static Task<ApiHost> StartAsync() => ApiHost.StartAsync(DatabaseProvider.Sqlite, new()
    {
        ["Bulwark:Webhooks:AllowedInternal:0"] = "127.0.0.1",
        ["Bulwark:Webhooks:PollMilliseconds"] = "50",
        ["Bulwark:Webhooks:MaxAttempts"] = "1",
        ["Bulwark:Webhooks:TimeoutSeconds"] = "2",
    });

    private static async Task EnqueueAsync(ApiHost host, params string[] keys)
    {
        await using var db = host.Services.GetRequiredService<IBulwarkDbFactory>().Create();
        foreach (var k in keys)
            host.Services.GetRequiredService<IActionOutbox>().Enqueue(db, new PlatformAction("account.ban", "account", "acct-" + k, "VE-DOI", null, k));
        await db.SaveChangesAsync();
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        Assert.True(await Eventually.UntilAsync(condition), $"timed out waiting for {what}");
    }

    [Fact]
    public async Task A_subscription_made_through_the_api_receives_signed_actions_from_the_worker()
    {
        await using var host = await StartAsync();
        await using var receiver = await TestReceiver.StartAsync();

        var response = await host.Admin.PostAsJsonAsync("/api/v1/webhooks", new { name = "platform", url = receiver.Url + "/hook", kinds = new[] { "account.*" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var secret = created.GetProperty("secret").GetString()!;
        var id = created.GetProperty("webhook").GetProperty("id").GetInt64();
        var listed = await host.Admin.GetStringAsync("/api/v1/webhooks");
        Assert.DoesNotContain(secret, listed);
        Assert.Contains("\"kinds\":[\"account.*\"]", listed);

        await EnqueueAsync(host, "ban-1");
        await WaitForAsync(() => !receiver.Received.IsEmpty, "the delivery");
        var request = Assert.Single(receiver.Received);
        Assert.Equal(WebhookVerification.Valid, new WebhookVerifier(secret).Verify(request));
        Assert.Equal("ban-1", request.Headers["Bulwark-Idempotency-Key"]);

        var patched = await host.Admin.PatchAsJsonAsync($"/api/v1/webhooks/{id}", new { enabled = false });
        Assert.False((await patched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, (await host.Admin.DeleteAsync($"/api/v1/webhooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Admin.GetAsync($"/api/v1/webhooks/{id}")).StatusCode);
    }

    [Fact]
    public async Task Bad_subscriptions_get_field_errors_and_scopes_are_enforced()
    {
        await using var host = await StartAsync();
        var bad = await host.Admin.PostAsJsonAsync("/api/v1/webhooks", new { name = "x", url = "http://169.254.169.254/latest", kinds = new[] { "BAN" }, secret = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("urn:bulwark:problem:validation", problem.GetProperty("type").GetString());
        Assert.Equal(["url", "kinds[0]", "secret"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Contains("link-local", problem.GetProperty("errors").GetProperty("url")[0].GetString());

        using var reader = host.Client(await host.KeyAsync(Scopes.Read, Scopes.Admin));
        var forbidden = await reader.GetAsync("/api/v1/webhooks");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("webhooks:admin", await forbidden.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/v1/actions")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client(null).GetAsync("/api/v1/actions")).StatusCode);
    }

    [Fact]
    public async Task The_pull_feed_pages_with_an_opaque_cursor()
    {
        await using var host = await StartAsync();
        await EnqueueAsync(host, [.. Enumerable.Range(0, 5).Select(i => $"k{i}")]);
        using var feed = host.Client(await host.KeyAsync(Scopes.ActionsRead));

        var first = await feed.GetFromJsonAsync<JsonElement>("/api/v1/actions?limit=3");
        Assert.Equal(["k0", "k1", "k2"], first.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("idempotencyKey").GetString()));
        Assert.True(first.GetProperty("hasMore").GetBoolean());
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await feed.GetFromJsonAsync<JsonElement>($"/api/v1/actions?limit=3&after={cursor}");
        Assert.Equal(["k3", "k4"], second.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("idempotencyKey").GetString()));
        Assert.False(second.GetProperty("hasMore").GetBoolean());
        var item = second.GetProperty("items")[0];
        Assert.Equal(["id", "kind", "targetType", "targetId", "policy", "decisionId", "idempotencyKey", "details", "createdAt"], item.EnumerateObject().Select(p => p.Name));

        var badCursor = await feed.GetAsync("/api/v1/actions?after=42");
        Assert.Equal(HttpStatusCode.BadRequest, badCursor.StatusCode);
        Assert.Contains("after", await badCursor.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await feed.GetAsync("/api/v1/actions?limit=0")).StatusCode);
    }

    [Fact]
    public async Task Dead_deliveries_are_listed_and_retried_through_the_api()
    {
        await using var host = await StartAsync();
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = _ => Task.FromResult(503);
        await host.Admin.PostAsJsonAsync("/api/v1/webhooks", new { name = "flaky", url = receiver.Url + "/hook" });
        await EnqueueAsync(host, "ban-9");

        JsonElement dead = default;
        await WaitForAsync(() =>
        {
            dead = host.Admin.GetFromJsonAsync<JsonElement>("/api/v1/webhooks/deadletters").GetAwaiter().GetResult();
            return dead.GetProperty("items").GetArrayLength() == 1;
        }, "the dead letter");
        var item = dead.GetProperty("items")[0];
        Assert.Equal(("ban-9", "receiver answered HTTP 503"), (item.GetProperty("idempotencyKey").GetString(), item.GetProperty("lastError").GetString()));

        Assert.Equal(HttpStatusCode.BadRequest, (await host.Admin.PostAsJsonAsync("/api/v1/webhooks/deadletters/retry", new { })).StatusCode);
        receiver.Respond = _ => Task.FromResult(200);
        var retry = await host.Admin.PostAsJsonAsync("/api/v1/webhooks/deadletters/retry", new { ids = new[] { item.GetProperty("id").GetInt64() } });
        Assert.Equal(1, (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("retried").GetInt32());
        await WaitForAsync(() => receiver.Received.Count == 2, "the retried delivery");
    }
}
