using System.Text;
using System.Text.Json;
using Bulwark.Core.Actions;
using Bulwark.Core.Actions.Webhooks;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Actions;

public class WebhookDeliveryTests
{
    private const string Secret = "test-secret-0123456789abcdefghij";

    private static Task<CoreServices> CoreAsync(DatabaseProvider provider = DatabaseProvider.Sqlite, int maxAttempts = 3) =>
        CoreServices.CreateAsync(provider, new()
        {
            ["Bulwark:Webhooks:AllowedInternal:0"] = "127.0.0.1",
            ["Bulwark:Webhooks:TimeoutSeconds"] = "1",
            ["Bulwark:Webhooks:MaxAttempts"] = maxAttempts.ToString(),
            ["Bulwark:Webhooks:BackoffBaseMilliseconds"] = "1000",
        });

    private static async Task EnqueueAsync(CoreServices core, int count, string kind = "content.remove", int from = 0)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        for (var i = from; i < from + count; i++)
            core.Get<IActionOutbox>().Enqueue(db, new PlatformAction(kind, "content", $"video-{i}", "VE-GLORIFY", i, $"decision-{i}-{kind}",
                new Dictionary<string, string> { ["regions"] = "IT,GR" }));
        await db.SaveChangesAsync();
    }

    private static Task<WebhookCreated> SubscribeAsync(CoreServices core, string url, IReadOnlyList<string>? kinds = null, bool history = true, string name = "platform") =>
        core.Get<WebhookService>().CreateAsync(new NewWebhook(name, url, Secret, kinds, IncludeHistory: history), "test", default);

    private static async Task<List<WebhookDeliveryRow>> DeliveriesAsync(CoreServices core)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        return await db.Set<WebhookDeliveryRow>().AsNoTracking().OrderBy(d => d.Id).ToListAsync();
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_action_arrives_signed_with_its_idempotency_key(DatabaseProvider provider)
    {
        await using var core = await CoreAsync(provider);
        await using var receiver = await TestReceiver.StartAsync();
        await SubscribeAsync(core, receiver.Url + "/hook");
        await EnqueueAsync(core, 1);

        var round = await core.Get<WebhookDispatcher>().RunOnceAsync("test", default);

        Assert.Equal(new DispatchRound(1, 1, 1, 0, 0), round);
        var request = Assert.Single(receiver.Received);
        Assert.Equal("decision-0-content.remove", request.Headers[WebhookSignature.IdempotencyKeyHeader]);
        Assert.Equal(core.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(), request.Headers[WebhookSignature.TimestampHeader]);
        var verifier = new WebhookVerifier(Secret, clock: core.Clock);
        Assert.Equal(WebhookVerification.Valid, verifier.Verify(request));
        Assert.Equal("1", request.Headers[WebhookSignature.AttemptHeader]);
        Assert.False(request.Headers.ContainsKey(WebhookSignature.RedeliveryHeader)); // a first delivery is not marked
        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        Assert.Equal(["id", "kind", "targetType", "targetId", "policy", "decisionId", "idempotencyKey", "details", "createdAt"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("content.remove", root.GetProperty("kind").GetString());
        Assert.Equal("video-0", root.GetProperty("targetId").GetString());
        Assert.Equal("IT,GR", root.GetProperty("details").GetProperty("regions").GetString());
        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(await DeliveriesAsync(core)).Status);
    }

    [Fact]
    public void The_verifier_refuses_tampering_stale_timestamps_and_missing_headers()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero));
        var body = Encoding.UTF8.GetBytes("""{"id":1,"kind":"content.remove"}""");
        var ts = clock.GetUtcNow().ToUnixTimeSeconds();
        const string key = "cv1:content.remove";
        var signature = WebhookSignature.Sign(Secret, ts, key, 1, 0, body);
        var verifier = new WebhookVerifier(Secret, TimeSpan.FromMinutes(5), clock);
        WebhookVerification Check(string? t, string? k, string? a, string? r, string? s, byte[] b) => verifier.Verify(t, k, a, r, s, b);

        Assert.Equal(WebhookVerification.Valid, Check(ts.ToString(), key, "1", null, signature, body));
        Assert.Equal(WebhookVerification.Valid, Check(ts.ToString(), key, "1", null, "v2=00," + signature, body)); // rotation: any listed signature
        var tampered = Encoding.UTF8.GetBytes("""{"id":1,"kind":"content.restore"}""");
        Assert.Equal(WebhookVerification.BadSignature, Check(ts.ToString(), key, "1", null, signature, tampered));
        Assert.Equal(WebhookVerification.BadSignature, Check((ts + 1).ToString(), key, "1", null, signature, body)); // timestamp is signed
        Assert.Equal(WebhookVerification.BadSignature, Check(ts.ToString(), "cv2:content.remove", "1", null, signature, body)); // so is the key
        Assert.Equal(WebhookVerification.BadSignature, Check(ts.ToString(), key, "2", null, signature, body)); // the attempt
        Assert.Equal(WebhookVerification.BadSignature, Check(ts.ToString(), key, "1", "1", signature, body)); // and the redelivery mark
        var redelivered = WebhookSignature.Sign(Secret, ts, key, 2, 1, body);
        Assert.Equal(WebhookVerification.Valid, Check(ts.ToString(), key, "2", "1", redelivered, body));
        Assert.Equal(WebhookVerification.BadSignature, Check(ts.ToString(), key, "2", null, redelivered, body)); // dropping the mark breaks it
        Assert.Equal(WebhookVerification.BadSignature, new WebhookVerifier("another-secret-0123456789abcd", clock: clock).Verify(ts.ToString(), key, "1", null, signature, body));
        clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        Assert.Equal(WebhookVerification.StaleTimestamp, Check(ts.ToString(), key, "1", null, signature, body));
        var future = clock.GetUtcNow().ToUnixTimeSeconds() + 3600; // a sender clock far ahead cannot pre-sign requests
        Assert.Equal(WebhookVerification.StaleTimestamp, Check(future.ToString(), key, "1", null, WebhookSignature.Sign(Secret, future, key, 1, 0, body), body));
        Assert.Equal(WebhookVerification.MissingHeader, Check(null, key, "1", null, signature, body));
        Assert.Equal(WebhookVerification.MissingHeader, Check(ts.ToString(), null, "1", null, signature, body));
        Assert.Equal(WebhookVerification.MissingHeader, Check(ts.ToString(), key, null, null, signature, body));
        Assert.Equal(WebhookVerification.MalformedTimestamp, Check("yesterday", key, "1", null, signature, body));
        Assert.Equal(WebhookVerification.MalformedAttempt, Check(ts.ToString(), key, "0", null, signature, body));
        Assert.Equal(WebhookVerification.MalformedAttempt, Check(ts.ToString(), key, "1", "0", signature, body));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_receiver_slower_than_the_timeout_sees_the_resend_marked_as_a_redelivery_and_signed(DatabaseProvider provider)
    {
        await using var core = await CoreAsync(provider, maxAttempts: 3);
        await using var receiver = await TestReceiver.StartAsync();
        var calls = 0;
        var firstDone = new TaskCompletionSource();
        // The first request outlives the 1 s timeout (it is processed, but answered too late); later ones answer at once.
        receiver.Respond = async _ =>
        {
            if (Interlocked.Increment(ref calls) > 1) return 200;
            try { await Task.Delay(TimeSpan.FromSeconds(3)); return 200; }
            finally { firstDone.TrySetResult(); }
        };
        await SubscribeAsync(core, receiver.Url + "/hook");
        await EnqueueAsync(core, 1);
        var dispatcher = core.Get<WebhookDispatcher>();

        Assert.Equal(1, (await dispatcher.RunOnceAsync("test", default)).Failed);
        core.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, (await dispatcher.RunOnceAsync("test", default)).Delivered);
        await firstDone.Task.WaitAsync(TimeSpan.FromMinutes(1));

        var requests = receiver.Received.ToList();
        Assert.Equal(2, requests.Count);
        var verifier = new WebhookVerifier(Secret, clock: core.Clock);
        Assert.All(requests, r => Assert.Equal(WebhookVerification.Valid, verifier.Verify(r)));
        Assert.All(requests, r => Assert.Equal("decision-0-content.remove", r.Headers[WebhookSignature.IdempotencyKeyHeader]));
        Assert.Equal(("1", false), (requests[0].Headers[WebhookSignature.AttemptHeader], requests[0].Headers.ContainsKey(WebhookSignature.RedeliveryHeader)));
        Assert.Equal(("2", "1"), (requests[1].Headers[WebhookSignature.AttemptHeader], requests[1].Headers[WebhookSignature.RedeliveryHeader]));
        Assert.NotEqual(requests[0].Headers[WebhookSignature.SignatureHeader], requests[1].Headers[WebhookSignature.SignatureHeader]);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Delivered_rows_are_purged_after_their_retention_while_pending_and_dead_ones_and_the_actions_stay(DatabaseProvider provider)
    {
        await using var core = await CoreAsync(provider, maxAttempts: 1);
        await using var receiver = await TestReceiver.StartAsync();
        await SubscribeAsync(core, receiver.Url + "/hook");
        await SubscribeAsync(core, "http://127.0.0.1:9/unreachable", name: "broken");
        await EnqueueAsync(core, 3);
        var dispatcher = core.Get<WebhookDispatcher>();
        await dispatcher.RunOnceAsync("test", default);
        var rows = await DeliveriesAsync(core);
        Assert.Equal((3, 3), (rows.Count(r => r.Status == DeliveryStatus.Delivered), rows.Count(r => r.Status == DeliveryStatus.Dead)));

        core.Clock.Advance(TimeSpan.FromDays(29));
        Assert.Equal(0, await dispatcher.PurgeDeliveredAsync(100, default));
        await EnqueueAsync(core, 1, from: 3);
        await dispatcher.RunOnceAsync("test", default); // one more delivered, 29 days younger
        core.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(2, await dispatcher.PurgeDeliveredAsync(2, default)); // in slices
        Assert.Equal(1, await dispatcher.PurgeDeliveredAsync(100, default));
        Assert.Equal(0, await dispatcher.PurgeDeliveredAsync(100, default));
        rows = await DeliveriesAsync(core);
        Assert.Equal((1, 4), (rows.Count(r => r.Status == DeliveryStatus.Delivered), rows.Count(r => r.Status == DeliveryStatus.Dead)));
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal(4, await db.Set<ActionRow>().CountAsync());
    }

    [Fact]
    public async Task A_failing_receiver_is_retried_with_backoff_then_dead_lettered_and_retried_on_request()
    {
        await using var core = await CoreAsync(maxAttempts: 3);
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = _ => Task.FromResult(500);
        await SubscribeAsync(core, receiver.Url + "/hook");
        await EnqueueAsync(core, 1);
        var dispatcher = core.Get<WebhookDispatcher>();

        var first = await dispatcher.RunOnceAsync("test", default);
        Assert.Equal(1, first.Failed);
        var row = Assert.Single(await DeliveriesAsync(core));
        Assert.Equal((DeliveryStatus.Pending, 1, 500, "receiver answered HTTP 500"), (row.Status, row.Attempts, row.LastStatusCode, row.LastError));
        var now = core.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.InRange(row.NextAttemptAt - now, 500, 1000); // first step: base 1 s, half fixed, half jitter

        // Not due yet: nothing is sent.
        Assert.Equal(0, (await dispatcher.RunOnceAsync("test", default)).Claimed);
        core.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await dispatcher.RunOnceAsync("test", default)).Failed);
        row = Assert.Single(await DeliveriesAsync(core));
        Assert.InRange(row.NextAttemptAt - core.Clock.GetUtcNow().ToUnixTimeMilliseconds(), 1000, 2000); // second step doubles

        core.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, (await dispatcher.RunOnceAsync("test", default)).DeadLettered);
        Assert.Equal(3, receiver.Received.Count);
        var dead = Assert.Single(await core.Get<WebhookService>().ListDeadAsync(0, 10, default));
        Assert.Equal(("platform", "decision-0-content.remove", 3, "receiver answered HTTP 500"), (dead.Subscription, dead.IdempotencyKey, dead.Attempts, dead.LastError));
        core.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await dispatcher.RunOnceAsync("test", default)).Claimed); // dead stays dead

        // A re-send from the dead letters gets a new round of MaxAttempts attempts, but the history is kept: the count
        // goes on (the receiver never sees an attempt number twice) and the re-sends are counted (issue 16).
        Assert.Equal(1, await core.Get<WebhookService>().RetryDeadAsync(null, "test", default));
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(1, (await dispatcher.RunOnceAsync("test", default)).Failed);
            core.Clock.Advance(TimeSpan.FromSeconds(4));
        }
        Assert.Equal(1, (await dispatcher.RunOnceAsync("test", default)).DeadLettered); // three more, then dead again
        dead = Assert.Single(await core.Get<WebhookService>().ListDeadAsync(0, 10, default));
        Assert.Equal((6, 1), (dead.Attempts, dead.Retries));

        receiver.Respond = _ => Task.FromResult(204);
        Assert.Equal(1, await core.Get<WebhookService>().RetryDeadAsync(null, "test", default));
        Assert.Equal(1, (await dispatcher.RunOnceAsync("test", default)).Delivered);
        var attempts = receiver.Received.Select(r => (r.Headers[WebhookSignature.AttemptHeader], r.Headers.GetValueOrDefault(WebhookSignature.RedeliveryHeader))).ToList();
        List<(string, string?)> expected = [("1", null), ("2", "1"), ("3", "2"), ("4", "3"), ("5", "4"), ("6", "5"), ("7", "6")];
        Assert.Equal(expected, attempts);
        var delivered = Assert.Single(await DeliveriesAsync(core));
        Assert.Equal((DeliveryStatus.Delivered, 7, 2), (delivered.Status, delivered.Attempts, delivered.Retries));
        Assert.Empty(await core.Get<WebhookService>().ListDeadAsync(0, 10, default));
        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(await DeliveriesAsync(core)).Status);
    }

    [Fact]
    public async Task A_receiver_that_times_out_or_answers_garbage_fails_the_attempt_without_stopping_delivery_to_others()
    {
        await using var core = await CoreAsync();
        await using var slow = await TestReceiver.StartAsync();
        slow.Respond = async _ => { await Task.Delay(TimeSpan.FromSeconds(3)); return 200; };
        using var garbage = new GarbageReceiver();
        await using var good = await TestReceiver.StartAsync();
        await SubscribeAsync(core, slow.Url + "/hook", name: "slow");
        await SubscribeAsync(core, garbage.Url, name: "garbage");
        await SubscribeAsync(core, good.Url + "/hook", name: "good");
        await EnqueueAsync(core, 2);

        var round = await core.Get<WebhookDispatcher>().RunOnceAsync("test", default);

        Assert.Equal((6, 2, 4), (round.Claimed, round.Delivered, round.Failed));
        Assert.Equal(2, good.Received.Count);
        var rows = await DeliveriesAsync(core);
        Assert.All(rows.Where(r => r.SubscriptionId == 1), r => Assert.Equal("receiver did not answer within 1 s", r.LastError));
        Assert.All(rows.Where(r => r.SubscriptionId == 2), r => { Assert.StartsWith("request failed:", r.LastError); Assert.Null(r.LastStatusCode); });
        Assert.All(rows.Where(r => r.SubscriptionId != 3), r => Assert.Equal(DeliveryStatus.Pending, r.Status));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_crash_between_sending_and_recording_resends_after_the_lease_and_loses_nothing(DatabaseProvider provider)
    {
        await using var core = await CoreAsync(provider);
        await using var receiver = await TestReceiver.StartAsync();
        await SubscribeAsync(core, receiver.Url + "/hook");
        await EnqueueAsync(core, 30);
        var dispatcher = core.Get<WebhookDispatcher>();

        // A worker fans out, claims and sends 10, then dies before recording anything.
        await dispatcher.FanOutAsync(default);
        var claimed = await dispatcher.ClaimAsync("crashed", 10, default);
        await dispatcher.SendAsync(claimed, default);
        Assert.Equal(10, receiver.Received.Count);

        // Another worker delivers the rest; the crashed worker's claims are leased, so not yet resent.
        var survivor = await dispatcher.RunOnceAsync("survivor", default);
        Assert.Equal(20, survivor.Delivered);
        core.Clock.Advance(TimeSpan.FromSeconds(61)); // the lease (60 s) runs out
        Assert.Equal(10, (await dispatcher.RunOnceAsync("survivor", default)).Delivered);

        var keys = receiver.Received.Select(r => r.Headers[WebhookSignature.IdempotencyKeyHeader]).ToList();
        Assert.Equal(40, keys.Count);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"decision-{i}-content.remove").Order(), keys.Distinct().Order());
        Assert.Equal(10, keys.GroupBy(k => k).Count(g => g.Count() == 2)); // resent, with the same key, so the platform applies it once
        // The resends after the crash say so: the platform can tell a redelivery from a new action before looking the key up.
        Assert.Equal(10, receiver.Received.Count(r => r.Headers.GetValueOrDefault(WebhookSignature.RedeliveryHeader) == "1"));
        Assert.All(await DeliveriesAsync(core), d => Assert.Equal(DeliveryStatus.Delivered, d.Status));
    }

    [Fact]
    public async Task A_new_subscription_gets_only_later_actions_of_its_kinds_unless_history_is_asked_for()
    {
        await using var core = await CoreAsync();
        await using var receiver = await TestReceiver.StartAsync();
        await EnqueueAsync(core, 3, "content.remove");
        await SubscribeAsync(core, receiver.Url + "/new", ["account.*"], history: false, name: "accounts-new");
        await SubscribeAsync(core, receiver.Url + "/all", ["content.remove"], history: true, name: "content-all");
        await EnqueueAsync(core, 2, "account.ban", from: 10);
        await EnqueueAsync(core, 1, "content.remove", from: 20);

        await core.Get<WebhookDispatcher>().RunOnceAsync("test", default);

        var byPath = receiver.Received.GroupBy(r => r.Path).ToDictionary(g => g.Key, g => g.Select(r => r.Headers[WebhookSignature.IdempotencyKeyHeader]).Order().ToList());
        Assert.Equal(["decision-10-account.ban", "decision-11-account.ban"], byPath["/new"]);
        Assert.Equal(["decision-0-content.remove", "decision-1-content.remove", "decision-2-content.remove", "decision-20-content.remove"], byPath["/all"]);
    }

    [Fact]
    public async Task A_disabled_subscription_is_paused_not_skipped()
    {
        await using var core = await CoreAsync();
        await using var receiver = await TestReceiver.StartAsync();
        var hook = await SubscribeAsync(core, receiver.Url + "/hook");
        var service = core.Get<WebhookService>();
        await service.UpdateAsync(hook.Webhook.Id, new WebhookPatch(Enabled: false), "test", default);
        await EnqueueAsync(core, 2);
        await core.Get<WebhookDispatcher>().RunOnceAsync("test", default);
        Assert.Empty(receiver.Received);
        await service.UpdateAsync(hook.Webhook.Id, new WebhookPatch(Enabled: true), "test", default);
        await core.Get<WebhookDispatcher>().RunOnceAsync("test", default);
        Assert.Equal(2, receiver.Received.Count);
    }

    [Fact]
    public async Task Subscriptions_refuse_internal_urls_bad_kinds_and_short_secrets_and_keep_secrets_encrypted()
    {
        await using var core = await CoreAsync();
        var service = core.Get<WebhookService>();
        var e = await Assert.ThrowsAsync<WebhookValidationException>(() =>
            service.CreateAsync(new NewWebhook("x", "http://10.1.2.3/hook", "short", ["remove everything"]), "test", default));
        Assert.Equal(["url", "kinds[0]", "secret"], e.Errors.Select(x => x.Field));
        Assert.Contains("forbidden address (private)", e.Errors[0].Message);
        await Assert.ThrowsAsync<WebhookValidationException>(() => service.CreateAsync(new NewWebhook("x", "ftp://example.org/hook"), "test", default));

        var created = await service.CreateAsync(new NewWebhook("platform", "https://hooks.example.org/bulwark"), "test", default);
        Assert.StartsWith("whsec_", created.Secret);
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var row = await db.Set<WebhookSubscriptionRow>().SingleAsync();
        Assert.DoesNotContain(created.Secret, row.SecretProtected);
        Assert.DoesNotContain(created.Secret[6..], row.SecretProtected);
        await Assert.ThrowsAsync<InvalidOperationException>(() => service.CreateAsync(new NewWebhook("platform", "https://hooks.example.org/other"), "test", default));
    }

    [Fact]
    public async Task A_receiver_that_became_internal_after_its_check_is_refused_at_connect_time()
    {
        // As after a DNS change: the URL passed the check when created, and now points at loopback, which is not allow-listed.
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite, new() { ["Bulwark:Webhooks:TimeoutSeconds"] = "2" });
        await using var receiver = await TestReceiver.StartAsync();
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            var created = await core.Get<WebhookService>().CreateAsync(new NewWebhook("platform", "https://hooks.example.org/x", Secret, IncludeHistory: true), "test", default);
            await db.Set<WebhookSubscriptionRow>().Where(s => s.Id == created.Webhook.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Url, receiver.Url + "/hook"));
        }
        await EnqueueAsync(core, 1);
        var round = await core.Get<WebhookDispatcher>().RunOnceAsync("test", default);
        Assert.Equal(1, round.Failed);
        Assert.Empty(receiver.Received);
        Assert.Contains("forbidden addresses (loopback)", Assert.Single(await DeliveriesAsync(core)).LastError);
    }
}
