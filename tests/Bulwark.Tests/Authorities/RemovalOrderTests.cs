using System.Text.Json;
using Bulwark.Core.Actions;
using Bulwark.Core.Authorities.Orders;
using Bulwark.Core.Authorities.Registry;
using Bulwark.Core.Ingest;
using Bulwark.Core.Records;
using Bulwark.Core.Records.Preservation;
using Bulwark.Core.Records.StatementsOfReasons;
using Bulwark.Core.Reports.Transparency;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Bulwark.Tests.Appeals.EnforcementScenario;

namespace Bulwark.Tests.Authorities;

/// <summary>Removal orders (Reg. 2021/784 Art. 3, 4, 11) end to end on both databases, the clock advanced by a fake TimeProvider.</summary>
public class RemovalOrderTests
{
    public const string Authority = "example-it";

    public static async Task<CoreServices> CreateAsync(DatabaseProvider provider, bool executeOnReceipt = true)
    {
        var core = await CoreServices.CreateAsync(provider, new()
        {
            ["Bulwark:Authorities:Orders:ExecuteOnReceipt"] = executeOnReceipt ? "true" : "false",
            ["Bulwark:Authorities:Orders:ContentUrlTemplates:0"] = "https://video.example/watch/{id}",
        });
        var (saved, errors) = await core.Get<AuthorityRegistry>().SaveAsync(new AuthorityInput(Authority, "EXAMPLE: fictional Italian authority", "IT",
            [Competences.RemovalOrders, Competences.Referrals], Channels.Manual, "example only", Example: true), "policy-admin", default);
        Assert.True(saved is not null, string.Join("; ", errors));
        return core;
    }

    public static RemovalOrderInput Order(string reference, IReadOnlyList<string>? ids = null, IReadOnlyList<string>? urls = null, DateTimeOffset? issued = null) => new()
    {
        Reference = reference, Authority = Authority, MemberState = "it", IssuedAt = issued ?? new DateTimeOffset(2026, 1, 15, 8, 50, 0, TimeSpan.Zero),
        ContentIds = ids, Urls = urls, Ground = Grounds.Incitement, Reasons = "Synthetic test order: the post glorifies a fictional attack.",
    };

    private static Task Ingest(CoreServices core, string id, string text = "synthetic harmless caption") =>
        core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = id, Kind = "text", Text = text, Account = new AccountRef { Id = "acct-o" } }, null, default);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_order_is_executed_at_receipt_through_the_writer_with_statement_preservation_provider_notice_and_Annex_II(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await Ingest(core, "c-decided");
        await RunOnceAsync(core);                 // the pipeline decided it (no action)
        await Ingest(core, "c-queued");           // the pipeline has not decided this one yet
        var orders = core.Get<RemovalOrderService>();

        var result = await orders.ReceiveAsync(Order("IT-RO-1", ["c-decided"], ["https://video.example/watch/c-queued"]), "apikey:gw", default);
        var o = Assert.IsType<RemovalOrderView>(result.Value);
        Assert.Equal(OrderError.None, result.Error);
        Assert.Equal(OrderStatus.Executed, o.Status);
        Assert.Equal(core.Clock.GetUtcNow(), o.ReceivedAt);
        Assert.Equal(o.ReceivedAt, o.ExecutedAt);
        Assert.Equal(o.ReceivedAt.AddHours(1), o.DueAt);
        Assert.All(o.Items, i => Assert.Equal(ItemStatus.Executed, i.Status));
        Assert.Equal(["c-decided", "c-queued"], o.Items.Select(i => i.ContentId));

        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            var removals = await db.Set<ActionRow>().Where(a => a.Kind == "content.remove").OrderBy(a => a.TargetId).ToListAsync();
            Assert.Equal(["c-decided", "c-queued"], removals.Select(a => a.TargetId));
            Assert.All(removals, a => Assert.Contains(":order:o" + o.Id + ":", a.IdempotencyKey));
            var decisions = o.Items.Select(i => i.DecisionId!.Value).ToList();
            Assert.Equal(2, await db.Set<StatementRow>().CountAsync(s => s.DecisionId != null && decisions.Contains(s.DecisionId.Value)));
            Assert.Equal(2, await db.Set<PreservedItemRow>().CountAsync(p => decisions.Contains(p.DecisionId)));
            Assert.Equal(2, await db.Set<ActionRow>().CountAsync(a => a.Kind == RemovalOrderService.ProviderNotice));
            Assert.Contains(await db.AuditEntries.Select(e => e.Action).ToListAsync(), a => a == "removal_order.received");
        }
        // The queued version was decided by the order; the pipeline then finds it decided and does not decide it again.
        await RunOnceAsync(core);
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
            Assert.Equal(1, await db.Decisions.CountAsync(d => d.ContentId == "c-queued"));

        var feedback = o.Feedback!.Value;
        Assert.Equal(AnnexForms.AnnexIISchema, feedback.GetProperty("schema").GetString());
        Assert.Equal("IT-RO-1", feedback.GetProperty("order").GetProperty("reference").GetString());
        Assert.Equal(2, feedback.GetProperty("items").GetArrayLength());
        // Forms are sent by the clock job, never inside the receipt. The manual channel: nothing is sent by Bulwark; the
        // delivery note says so until a person records it.
        Assert.Null(o.FeedbackSentAt);
        Assert.Equal("pending", o.FeedbackDelivery);
        await orders.TickAsync(default);
        Assert.StartsWith("to send by hand", (await orders.GetAsync(o.Id, default))!.FeedbackDelivery);
        var sent = await orders.MarkSentAsync(o.Id, "feedback", "by phone to the duty officer", "legal", default);
        Assert.NotNull(sent.Value!.FeedbackSentAt);
        Assert.Null((await core.Get<AuditVerifier>().VerifyAsync(default)).Problem);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Bad_orders_are_refused_naming_the_field_duplicates_and_removed_content_are_never_executed_twice(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await UploadAsync(core, "c-removed", "acct-r", Instruction, "synthetic clip the pipeline removes");
        await Ingest(core, "c-1");
        await RunOnceAsync(core);
        var orders = core.Get<RemovalOrderService>();

        async Task<string[]> Fields(RemovalOrderInput input) => (await orders.ReceiveAsync(input, "t", default)).Errors.Select(e => e.Field).ToArray();
        Assert.Contains("reference", await Fields(Order("", ["c-1"])));
        Assert.Contains("authority", await Fields(Order("R", ["c-1"]) with { Authority = "nobody" }));
        Assert.Contains("urls[0]", await Fields(Order("R", urls: ["not a url"])));
        Assert.Contains("contentIds", await Fields(Order("R")));
        Assert.Contains("ground", await Fields(Order("R", ["c-1"]) with { Ground = "dislike" }));
        Assert.Contains("memberState", await Fields(Order("R", ["c-1"]) with { MemberState = "FR" }));
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
            Assert.Equal(0, await db.Set<RemovalOrderRow>().CountAsync());

        var first = (await orders.ReceiveAsync(Order("IT-RO-2", ["c-1", "c-removed"]), "t", default)).Value!;
        Assert.Equal(OrderStatus.Executed, first.Status);
        Assert.Equal(ItemStatus.AlreadyRemoved, first.Items.Single(i => i.ContentId == "c-removed").Status);
        int Removals(BulwarkDbContext db) => db.Set<ActionRow>().Count(a => a.Kind == "content.remove");
        int before;
        await using (var db = core.Get<IBulwarkDbFactory>().Create()) before = Removals(db);
        Assert.Equal(2, before); // the pipeline's removal and the order's one

        var again = await orders.ReceiveAsync(Order("IT-RO-2", ["c-1"]), "t", default);
        Assert.Equal(OrderError.Duplicate, again.Error);
        Assert.Equal(first.Id, again.Value!.Id);
        var other = (await orders.ReceiveAsync(Order("IT-RO-3", ["c-1"]), "t", default)).Value!;
        Assert.Equal(ItemStatus.AlreadyRemoved, Assert.Single(other.Items).Status);
        await using (var db = core.Get<IBulwarkDbFactory>().Create()) Assert.Equal(before, Removals(db));

        // An order received long after its issue: recorded, the hour counted from receipt.
        await Ingest(core, "c-late");
        var late = (await orders.ReceiveAsync(Order("IT-RO-4", ["c-late"], issued: core.Clock.GetUtcNow().AddHours(-5)), "t", default)).Value!;
        Assert.Equal(late.ReceivedAt.AddHours(1), late.DueAt);
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
            Assert.Contains("received 300 minutes after issue", (await db.AuditEntries.Where(e => e.Subject == $"removal_order:{late.Id}").FirstAsync()).After);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_clock_alerts_at_45_minutes_records_a_breach_at_60_with_its_cause_and_a_late_confirmation_still_executes(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider, executeOnReceipt: false);
        await Ingest(core, "c-wait");
        var orders = core.Get<RemovalOrderService>();
        var o = (await orders.ReceiveAsync(Order("IT-RO-5", ["c-wait"]), "t", default)).Value!;
        Assert.Equal(OrderStatus.Received, o.Status);
        Assert.True(o.NeedsConfirmation);

        core.Clock.Advance(TimeSpan.FromMinutes(44));
        Assert.Equal(0, (await orders.TickAsync(default)).Alerted);
        Assert.Empty(await orders.AlertingAsync(default));
        core.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await orders.TickAsync(default)).Alerted);
        Assert.Equal(0, (await orders.TickAsync(default)).Alerted); // once
        Assert.Single(await orders.AlertingAsync(default));
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            var alert = await db.Set<ActionRow>().SingleAsync(a => a.Kind == RemovalOrderService.DueSoonEvent);
            Assert.Equal(("removal_order", o.Id.ToString()), (alert.TargetType, alert.TargetId));
            Assert.Contains("\"minutesLeft\":\"15\"", alert.DetailsJson);
        }

        core.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(0, (await orders.TickAsync(default)).Breached);
        core.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await orders.TickAsync(default)).Breached);
        var breached = (await orders.GetAsync(o.Id, default))!;
        Assert.Equal(o.DueAt, breached.BreachedAt);
        Assert.Contains("no legal officer has confirmed it", breached.BreachCause);
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
            Assert.Equal(1, await db.Set<ActionRow>().CountAsync(a => a.Kind == RemovalOrderService.BreachedEvent));

        var confirmed = (await orders.ConfirmAsync(o.Id, "legal", default)).Value!;
        Assert.Equal(OrderStatus.Executed, confirmed.Status);
        Assert.NotNull(confirmed.BreachedAt); // the breach stays on record
        Assert.Equal(OrderError.Conflict, (await orders.ConfirmAsync(o.Id, "legal", default)).Error);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_order_for_unknown_content_is_stored_and_executed_when_the_content_arrives_or_is_named(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        var orders = core.Get<RemovalOrderService>();
        var o = (await orders.ReceiveAsync(Order("IT-RO-6", ["c-later"], ["https://elsewhere.example/post/9"]), "t", default)).Value!;
        Assert.Equal(OrderStatus.Received, o.Status);
        Assert.All(o.Items, i => Assert.Equal(ItemStatus.Unmatched, i.Status));

        await Ingest(core, "c-later");
        core.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, (await orders.TickAsync(default)).Matched);
        var partly = (await orders.GetAsync(o.Id, default))!;
        Assert.Equal(OrderStatus.PartiallyExecuted, partly.Status);
        Assert.Equal(ItemStatus.Executed, partly.Items.Single(i => i.ContentId == "c-later").Status);

        await Ingest(core, "c-named");
        var url = partly.Items.Single(i => i.Kind == "url");
        var named = (await orders.NameContentAsync(o.Id, url.Id, "c-named", "legal", default)).Value!;
        Assert.Equal(OrderStatus.Executed, named.Status);
        Assert.Equal(core.Clock.GetUtcNow(), named.ExecutedAt);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Deferred_provider_information_is_sent_when_the_deferral_ends_and_scrutiny_reinstates_within_24_hours(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await Ingest(core, "c-def");
        var orders = core.Get<RemovalOrderService>();
        var o = (await orders.ReceiveAsync(Order("IT-RO-7", ["c-def"]) with { DeferInformingUntil = core.Clock.GetUtcNow().AddDays(2), CrossBorder = true }, "t", default)).Value!;
        Assert.Equal(OrderStatus.Executed, o.Status);
        Assert.Null(o.ProviderInformedAt);
        int Notices(BulwarkDbContext db) => db.Set<ActionRow>().Count(a => a.Kind == RemovalOrderService.ProviderNotice);
        core.Clock.Advance(TimeSpan.FromDays(2) - TimeSpan.FromMinutes(1));
        await orders.TickAsync(default);
        await using (var db = core.Get<IBulwarkDbFactory>().Create()) Assert.Equal(0, Notices(db));
        core.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await orders.TickAsync(default)).ProvidersInformed);
        await using (var db = core.Get<IBulwarkDbFactory>().Create()) Assert.Equal(1, Notices(db));
        Assert.Equal(core.Clock.GetUtcNow(), (await orders.GetAsync(o.Id, default))!.ProviderInformedAt);

        Assert.Equal(OrderError.Invalid, (await orders.RecordScrutinyAsync(o.Id, "maybe", null, "legal", default)).Error);
        var r = (await orders.RecordScrutinyAsync(o.Id, "infringes", "Synthetic: the host state's authority found a disproportionate order", "legal", default)).Value!;
        Assert.Equal(OrderStatus.Reinstated, r.Status);
        Assert.True(r.ReinstatedAt <= r.ReinstateDueAt);
        Assert.Equal(r.ScrutinyAt!.Value.AddHours(24), r.ReinstateDueAt);
        Assert.Equal(ItemStatus.Reinstated, Assert.Single(r.Items).Status);
        Assert.Equal("reinstated after scrutiny", r.Feedback!.Value.GetProperty("action").GetString());
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            Assert.Equal(1, await db.Set<ActionRow>().CountAsync(a => a.Kind == "content.restore" && a.TargetId == "c-def"));
            Assert.NotNull((await db.Decisions.SingleAsync(d => d.ContentId == "c-def")).ReversedAt);
        }
        Assert.Equal(OrderError.Conflict, (await orders.RecordScrutinyAsync(o.Id, "upheld", null, "legal", default)).Error);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Annex_III_closes_an_order_that_cannot_be_executed_and_the_records_count_every_outcome(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider, executeOnReceipt: false);
        await Ingest(core, "c-a");
        await Ingest(core, "c-b");
        var orders = core.Get<RemovalOrderService>();
        var executed = (await orders.ReceiveAsync(Order("IT-RO-8", ["c-a"]), "t", default)).Value!;
        core.Clock.Advance(TimeSpan.FromMinutes(30));
        await orders.ConfirmAsync(executed.Id, "legal", default);
        var impossible = (await orders.ReceiveAsync(Order("IT-RO-9", ["c-b"]), "t", default)).Value!;

        Assert.Equal(OrderError.Invalid, (await orders.FileAnnexIIIAsync(impossible.Id, "bored", "x", "legal", default)).Error);
        var filed = (await orders.FileAnnexIIIAsync(impossible.Id, ImpossibilityGrounds.ManifestErrors, "Synthetic: the URL names another service.", "legal", default)).Value!;
        Assert.Equal(OrderStatus.NotExecuted, filed.Status);
        Assert.Equal(AnnexForms.AnnexIIISchema, filed.AnnexIII!.Value.GetProperty("schema").GetString());
        Assert.Equal(ImpossibilityGrounds.ManifestErrors, filed.AnnexIII!.Value.GetProperty("ground").GetString());
        Assert.Equal(ItemStatus.NotExecuted, Assert.Single(filed.Items).Status);
        Assert.Equal(OrderError.Conflict, (await orders.FileAnnexIIIAsync(executed.Id, ImpossibilityGrounds.ForceMajeure, "late", "legal", default)).Error);
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
            Assert.Equal(0, await db.Set<ActionRow>().CountAsync(a => a.TargetId == "c-b"));

        var day = DateOnly.FromDateTime(core.Clock.GetUtcNow().UtcDateTime);
        var counts = await core.Get<IAuthorityRecords>().CountAsync(new ReportPeriod(day, day), default);
        Assert.Equal((2L, 1L, 1L, 1L), (counts["removal_orders"], counts["removal_orders_executed"], counts["removal_orders_not_executed"], counts["removal_orders_not_executed:manifest_errors"]));
        Assert.Equal((2L, 2L), (counts["orders_to_act:IT"], counts["orders_to_act:KEYWORD_TERRORIST_CONTENT"]));
        Assert.Equal(0.5, counts.MedianHours);

        // Item 3 of the TCO report counts content items, not orders: a third order naming two items, one already removed
        // by the platform's own decision, adds one order and one item; the order not executed adds none.
        await Ingest(core, "c-c");
        await Ingest(core, "c-d");
        var second = (await orders.ReceiveAsync(Order("IT-RO-10", ["c-c", "c-d"]), "t", default)).Value!;
        await orders.ConfirmAsync(second.Id, "legal", default);
        var third = (await orders.ReceiveAsync(Order("IT-RO-11", ["c-c", "c-a"]), "t", default)).Value!;
        await orders.ConfirmAsync(third.Id, "legal", default);
        Assert.All((await orders.GetAsync(third.Id, default))!.Items, i => Assert.Equal(ItemStatus.AlreadyRemoved, i.Status));
        counts = await core.Get<IAuthorityRecords>().CountAsync(new ReportPeriod(day, day), default);
        Assert.Equal((4L, 3L), (counts["removal_orders"], counts["removal_orders_executed"]));
        Assert.Equal(3L, counts["removal_order_items_removed"]);
        var tco = TcoReport.Build(new PeriodFacts { Period = new ReportPeriod(day, day), Facts = [], Durations = [] }, await core.Get<Bulwark.Core.Policy.PolicyStore>().GetCatalogueAsync(default), counts,
            new TransparencyOptions(), core.Clock.GetUtcNow());
        Assert.Equal(3L, tco.Items.Single(i => i.Id == "3").Count);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_registry_names_the_referral_recipient_by_member_state_else_Europol_and_refuses_bad_entries(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        var registry = core.Get<AuthorityRegistry>();
        Assert.Equal(Authority, (await registry.ResolveReferralRecipientAsync("it", default)).Id);
        var europol = await registry.ResolveReferralRecipientAsync("FR", default);
        Assert.Equal((AuthorityRegistry.EuropolId, true, null), (europol.Id, europol.Fallback, europol.Contact));
        Assert.Equal(AuthorityRegistry.EuropolId, (await registry.ResolveReferralRecipientAsync(null, default)).Id);
        Assert.Equal(AuthorityRegistry.EuropolId, (await registry.ResolveReferralRecipientAsync("XX", default)).Id);

        var (_, errors) = await registry.SaveAsync(new AuthorityInput("Bad Id", "", "US", ["gossip"], "https", "http://insecure.example"), "policy-admin", default);
        Assert.Equal(["id", "name", "memberState", "competences", "contact"], errors.Select(e => e.Field));
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal(["authority.registered", "authority.registered"], await db.AuditEntries.Where(e => e.Subject.StartsWith("authority:")).OrderBy(e => e.Seq).Select(e => e.Action).ToListAsync());
    }
}
