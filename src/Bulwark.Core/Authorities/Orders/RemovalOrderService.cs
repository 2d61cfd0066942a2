using System.Globalization;
using System.Text.Json;
using Bulwark.Core.Actions;
using Bulwark.Core.Actions.Restrictions;
using Bulwark.Core.Authorities.Registry;
using Bulwark.Core.Ingest;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Bulwark.Core.Authorities.Orders;

/// <summary>
/// Removal orders (Reg. 2021/784 Art. 3, 4, 11): receipt (the clock starts from <see cref="TimeProvider"/>), execution
/// through the <see cref="RestrictionWriter"/> (disabled in every Member State, statement of reasons, preservation), the
/// Annex II and Annex III answers, cross-border scrutiny with reinstatement, the content provider's information and the
/// one-hour clock (<see cref="TickAsync"/>). Every change is audited; an invalid transition is refused, never ignored.
/// </summary>
public sealed class RemovalOrderService(
    IBulwarkDbFactory dbs, AuthorityRegistry registry, RestrictionWriter writer, IActionOutbox outbox, AuditLog audit,
    RemovalOrderOptions options, TimeProvider clock, IAuthorityDelivery delivery, ILogger<RemovalOrderService> log)
{
    public const int MaxReferenceLength = 100;
    public const int MaxReasonsLength = 5000;
    /// <summary>The outbox target type of order events (alerts, breaches): not content or an account, so platforms can ignore them.</summary>
    public const string EventTarget = ActionOutbox.RemovalOrderTarget;
    public const string DueSoonEvent = "authority.removal_order.due_soon";
    public const string BreachedEvent = "authority.removal_order.breached";
    /// <summary>The platform tells the content provider of the removal and the order's reasons (Art. 11).</summary>
    public const string ProviderNotice = "content.removal_order_notice";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // ───────────────────────────── receipt ─────────────────────────────

    /// <summary>
    /// Records an order as received now and, unless a legal officer must confirm, executes it at once. A second order with
    /// the same authority and reference is refused as a duplicate (the first is returned with it); nothing runs twice.
    /// </summary>
    public async Task<OrderResult> ReceiveAsync(RemovalOrderInput input, string actor, CancellationToken ct)
    {
        // The hour runs from here: on SQLite the receipt and the execution's writes go through the write gate before the
        // pipeline's and ingest's waiting batches (issue 18's target: the action out within a second under full load).
        using var urgent = WritePriority.Urgent();
        var now = clock.GetUtcNow();
        var errors = new List<FieldError>();
        var reference = input.Reference?.Trim();
        if (string.IsNullOrEmpty(reference)) errors.Add(new("reference", "is required: the order's reference number"));
        else if (reference.Length > MaxReferenceLength) errors.Add(new("reference", $"must be at most {MaxReferenceLength} characters"));
        CompetentAuthority? authority = null;
        if (string.IsNullOrWhiteSpace(input.Authority)) errors.Add(new("authority", "is required: the issuing authority's id in the registry"));
        else if ((authority = await registry.GetAsync(input.Authority.Trim(), ct)) is null)
            errors.Add(new("authority", $"'{input.Authority}' is not in the competent authorities registry"));
        else if (!authority.Active) errors.Add(new("authority", $"'{authority.Id}' is inactive in the registry"));
        else if (!authority.IsCompetentFor(Competences.RemovalOrders)) errors.Add(new("authority", $"'{authority.Id}' is not registered as competent to issue removal orders"));
        var state = AuthorityRegistry.NormaliseMemberState(input.MemberState);
        if (state is null) errors.Add(new("memberState", "is required: the issuing Member State's code (e.g. IT)"));
        else if (authority is not null && authority.MemberState != state) errors.Add(new("memberState", $"'{state}' is not the Member State of '{authority.Id}' ({authority.MemberState})"));
        if (input.IssuedAt is null) errors.Add(new("issuedAt", "is required: the date and time the order was issued"));
        else if (input.IssuedAt > now.AddMinutes(5)) errors.Add(new("issuedAt", "is in the future"));
        if (input.Ground is null || !Grounds.All.Contains(input.Ground)) errors.Add(new("ground", $"must be one of {string.Join(", ", Grounds.All)} (Reg. 2021/784 Art. 2(7)(a)–(e))"));
        else if (!options.PolicyByGround.ContainsKey(input.Ground)) errors.Add(new("ground", $"no policy is configured for '{input.Ground}' (Bulwark:Authorities:Orders:PolicyByGround)"));
        if (string.IsNullOrWhiteSpace(input.Reasons)) errors.Add(new("reasons", "is required: the order's statement of reasons"));
        else if (input.Reasons.Length > MaxReasonsLength) errors.Add(new("reasons", $"must be at most {MaxReasonsLength} characters"));
        if (input.LegalBasis is { Length: > 1000 }) errors.Add(new("legalBasis", "must be at most 1000 characters"));
        if (input.FeedbackContact is { Length: > 500 }) errors.Add(new("feedbackContact", "must be at most 500 characters"));
        if (input.DeferInformingUntil is { } until && until <= now) errors.Add(new("deferInformingUntil", "must be in the future"));
        var items = new List<(string Kind, string Value, string? ContentId)>();
        var ids = input.ContentIds ?? [];
        var urls = input.Urls ?? [];
        if (ids.Count + urls.Count == 0) errors.Add(new("contentIds", "name at least one content id or URL (contentIds[] or urls[])"));
        if (ids.Count + urls.Count > options.MaxItems) errors.Add(new("contentIds", $"an order may name at most {options.MaxItems} items"));
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i]?.Trim();
            if (string.IsNullOrEmpty(id) || id.Length > 128) errors.Add(new($"contentIds[{i}]", "must be a content id of 1–128 characters"));
            else items.Add(("content", id, id));
        }
        for (var i = 0; i < urls.Count; i++)
        {
            var u = urls[i]?.Trim();
            if (u is null || u.Length > 2048 || !Uri.TryCreate(u, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || string.IsNullOrEmpty(uri.Host))
                errors.Add(new($"urls[{i}]", $"'{Clip(urls[i], 100)}' is not an absolute http(s) URL"));
            else items.Add(("url", u, ContentIdOf(uri)));
        }
        var duplicates = items.GroupBy(i => (i.Kind, i.Value)).Where(g => g.Count() > 1).Select(g => g.Key.Value).ToList();
        if (duplicates.Count > 0) errors.Add(new("contentIds", $"'{duplicates[0]}' is named more than once"));
        if (errors.Count > 0) return OrderResult.Invalid(errors);

        long orderId;
        await using (var db = dbs.Create())
        {
            await using var tx = await dbs.BeginWriteAsync(db, ct);
            if (await db.Set<RemovalOrderRow>().AsNoTracking().Where(o => o.AuthorityId == authority!.Id && o.Reference == reference).Select(o => (long?)o.Id).FirstOrDefaultAsync(ct) is { } existing)
            {
                await tx.DisposeAsync();
                return OrderResult.Fail(OrderError.Duplicate, $"Order '{reference}' from '{authority!.Id}' was already received (order {existing}); it is not executed again.", await GetAsync(existing, ct));
            }
            var known = await KnownContentAsync(db, items.Select(i => i.ContentId).OfType<string>().ToList(), ct);
            var row = new RemovalOrderRow
            {
                Reference = reference!, AuthorityId = authority!.Id, MemberState = state!, IssuedAt = input.IssuedAt!.Value, ReceivedAt = now,
                DueAt = now.AddMinutes(options.DeadlineMinutes), ReceivedBy = actor, Ground = input.Ground!, LegalBasis = Blank(input.LegalBasis),
                Reasons = input.Reasons!.Trim(), DeferInformingUntil = input.DeferInformingUntil, CrossBorder = input.CrossBorder ?? false,
                FeedbackContact = Blank(input.FeedbackContact), NeedsConfirmation = !options.ExecuteOnReceipt, Status = OrderStatus.Received,
            };
            db.Add(row);
            await db.SaveChangesAsync(ct);
            foreach (var (kind, value, contentId) in items)
                db.Add(new RemovalOrderItemRow
                {
                    OrderId = row.Id, Kind = kind, Value = value, ContentId = contentId,
                    Status = contentId is not null && known.Contains(contentId) ? ItemStatus.Pending : ItemStatus.Unmatched,
                    MatchedAt = contentId is not null && known.Contains(contentId) ? now : null,
                    Note = contentId is null ? "no content id found in the URL (Bulwark:Authorities:Orders:ContentUrlTemplates); name the content" : null,
                });
            await db.SaveChangesAsync(ct);
            var late = now - row.IssuedAt > TimeSpan.FromMinutes(options.DeadlineMinutes)
                ? string.Create(CultureInfo.InvariantCulture, $"; received {(int)(now - row.IssuedAt).TotalMinutes} minutes after issue (the hour runs from receipt, Art. 3(3))") : "";
            await audit.AppendAsync(db, [new AuditRecord(actor, "removal_order.received", $"removal_order:{row.Id}", null,
                $"{row.Reference} from {row.AuthorityId} ({row.MemberState}); ground {row.Ground}; {items.Count} item(s), {items.Count(i => i.ContentId is not null && known.Contains(i.ContentId))} known; due {row.DueAt:O}{late}")], ct);
            await tx.CommitAsync(ct);
            orderId = row.Id;
        }
        if (options.ExecuteOnReceipt) await ExecuteAsync(orderId, OrderActor(reference!), ct);
        return OrderResult.Ok((await GetAsync(orderId, ct))!);
    }

    /// <summary>The content id a platform URL names, through <see cref="RemovalOrderOptions.ContentUrlTemplates"/>.</summary>
    public string? ContentIdOf(Uri url)
    {
        var text = url.GetLeftPart(UriPartial.Query);
        foreach (var template in options.ContentUrlTemplates)
        {
            var at = template.IndexOf("{id}", StringComparison.Ordinal);
            if (at < 0) continue;
            var (prefix, suffix) = (template[..at], template[(at + 4)..]);
            if (text.Length > prefix.Length + suffix.Length && text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && text.EndsWith(suffix, StringComparison.Ordinal))
            {
                var id = Uri.UnescapeDataString(text[prefix.Length..(text.Length - suffix.Length)]);
                if (id.Length is > 0 and <= 128 && !id.Contains('/', StringComparison.Ordinal)) return id;
            }
        }
        return null;
    }

    // ───────────────────────────── execution ─────────────────────────────

    private static string OrderActor(string reference) => $"removal-order {reference}";

    /// <summary>A legal officer confirms an order received for confirmation; its matched items are executed now.</summary>
    public async Task<OrderResult> ConfirmAsync(long id, string actor, CancellationToken ct)
    {
        using var urgent = WritePriority.Urgent();
        await using (var db = dbs.Create())
        {
            await using var tx = await dbs.BeginWriteAsync(db, ct);
            var row = await db.Set<RemovalOrderRow>().FirstOrDefaultAsync(o => o.Id == id, ct);
            if (row is null) return OrderResult.Fail(OrderError.NotFound, $"There is no removal order {id}.");
            if (!OrderStatus.IsOpen(row.Status)) return OrderResult.Fail(OrderError.Conflict, $"Order {id} is {row.Status}; only an open order can be confirmed.");
            if (!row.NeedsConfirmation || row.ConfirmedBy is not null) return OrderResult.Fail(OrderError.Conflict, $"Order {id} needs no confirmation (it is executed on receipt or already confirmed).");
            row.ConfirmedBy = actor;
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(db, [new AuditRecord(actor, "removal_order.confirmed", $"removal_order:{id}", row.Status, "confirmed for execution")], ct);
            await tx.CommitAsync(ct);
        }
        await ExecuteAsync(id, actor, ct);
        return OrderResult.Ok((await GetAsync(id, ct))!);
    }

    /// <summary>
    /// Executes the order's pending items through the restriction writer: the content is removed (disabled in every Member
    /// State), with a statement of reasons and preservation; content already removed is recorded as such and not acted on
    /// again. When every item is done the order is executed and its Annex II feedback generated; the content provider is
    /// informed unless informing is deferred.
    /// </summary>
    public async Task ExecuteAsync(long id, string actor, CancellationToken ct)
    {
        // One execution at a time in this process (the receipt and the clock job may reach the same order together); across
        // processes (API and worker on one database) each item is claimed in the database before it is executed.
        using var urgent = WritePriority.Urgent();
        await _executing.WaitAsync(ct);
        try { await ExecuteOnceAsync(id, actor, ct); }
        finally { _executing.Release(); }
    }

    private readonly SemaphoreSlim _executing = new(1, 1);

    /// <summary>This executor's name in item claims: the process and this service instance.</summary>
    public string Executor { get; } = Clip($"{Guid.NewGuid():N}@{Environment.ProcessId}:{Environment.MachineName}", 100);

    private async Task ExecuteOnceAsync(long id, string actor, CancellationToken ct)
    {
        RemovalOrderRow order;
        List<RemovalOrderItemRow> pending;
        await using (var db = dbs.Create())
        {
            order = await db.Set<RemovalOrderRow>().AsNoTracking().FirstAsync(o => o.Id == id, ct);
            if (!OrderStatus.IsOpen(order.Status) || (order.NeedsConfirmation && order.ConfirmedBy is null)) return;
            pending = await db.Set<RemovalOrderItemRow>().AsNoTracking().Where(i => i.OrderId == id && i.Status == ItemStatus.Pending).OrderBy(i => i.Id).ToListAsync(ct);
        }
        var policy = options.PolicyByGround[order.Ground];
        foreach (var item in pending)
        {
            // The claim: a conditional update only one executor wins; an item another holds (or has done) is left to it.
            var claimedAt = clock.GetUtcNow();
            await using (var db = dbs.Create())
            {
                // Through the write gate like every write: outside it, SQLite's busy handler made the claim sleep while a
                // pipeline batch held the database's lock.
                await using var tx = await dbs.BeginWriteAsync(db, ct);
                var until = claimedAt.AddSeconds(options.ClaimSeconds);
                var won = await db.Set<RemovalOrderItemRow>()
                    .Where(i => i.Id == item.Id && i.Status == ItemStatus.Pending && (i.ClaimedUntil == null || i.ClaimedUntil < claimedAt))
                    .ExecuteUpdateAsync(u => u.SetProperty(i => i.ClaimedBy, Executor).SetProperty(i => i.ClaimedUntil, until), ct);
                await tx.CommitAsync(ct);
                if (won == 0) continue;
            }
            string status, note;
            long? decisionId = null;
            try
            {
                (status, decisionId, note) = await ExecuteItemAsync(order, item, policy, actor, ct);
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException)
            {
                // Left pending and released: the clock job tries again, and a breach names this if the hour passes.
                log.LogWarning(ex, "Removal order {Order} item {Item} could not be executed yet", id, item.Id);
                await using var db = dbs.Create();
                await using var tx = await dbs.BeginWriteAsync(db, ct);
                await db.Set<RemovalOrderItemRow>().Where(i => i.Id == item.Id && i.ClaimedBy == Executor).ExecuteUpdateAsync(u => u
                    .SetProperty(i => i.Note, Clip($"execution failed, retried: {ex.Message}", 1000)).SetProperty(i => i.ClaimedBy, (string?)null)
                    .SetProperty(i => i.ClaimedUntil, (DateTimeOffset?)null), ct);
                await tx.CommitAsync(ct);
                continue;
            }
            await using (var db = dbs.Create())
            {
                await using var tx = await dbs.BeginWriteAsync(db, ct);
                var now = clock.GetUtcNow();
                var row = await db.Set<RemovalOrderItemRow>().FirstAsync(i => i.Id == item.Id, ct);
                // Still ours: a claim that lapsed meanwhile was taken over, and the other executor records the outcome.
                if (row.Status != ItemStatus.Pending || row.ClaimedBy != Executor) continue;
                row.Status = status;
                row.DecisionId = decisionId;
                row.Note = note;
                row.ClaimedBy = null;
                row.ClaimedUntil = null;
                if (status is ItemStatus.Executed or ItemStatus.AlreadyRemoved) row.ExecutedAt = now;
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
        }
        await SettleAsync(id, actor, ct);
    }

    private async Task<(string Status, long? DecisionId, string Note)> ExecuteItemAsync(RemovalOrderRow order, RemovalOrderItemRow item, string policy, string actor, CancellationToken ct)
    {
        var contentId = item.ContentId!;
        await using (var db = dbs.Create())
        {
            // This order's own removal, committed by an executor that stopped before recording it: executed, not again.
            if (await db.Set<ActionRow>().AsNoTracking().Where(a => a.Kind == Measures.ContentRemove && a.TargetId == contentId && a.IdempotencyKey.Contains($":order:o{order.Id}:"))
                    .Select(a => a.DecisionId).FirstOrDefaultAsync(ct) is { } own)
                return (ItemStatus.Executed, own, $"content.remove (all Member States), decision {own}");
            var removedBy = await RemovedByAsync(db, contentId, ct);
            if (removedBy is not null) return (ItemStatus.AlreadyRemoved, removedBy, $"already removed by decision {removedBy}; nothing done again");
        }
        var explanation = $"Removal order {order.Reference} from {order.AuthorityId} ({order.MemberState}), issued {order.IssuedAt:yyyy-MM-dd HH:mm} UTC, "
            + $"Reg. 2021/784 Art. 2(7)({Grounds.Letter(order.Ground)}) {order.Ground}: {order.Reasons}";
        var decisionId = await writer.DecisionForAuthorityOrderAsync(new AuthorityOrderDecision(contentId, policy, order.Reference, Clip(explanation, 4000), actor), ct);
        if (decisionId is null) return (ItemStatus.Unmatched, null, "the content is not known to the platform");
        var result = await writer.CommitAsync(new RestrictionRequest
        {
            DecisionId = decisionId.Value, Source = RestrictionSource.AuthorityOrder, Actor = RestrictionActor.Unrestricted(actor), Policy = policy,
            Measures = [Measures.ContentRemove], AuthorityReference = $"o{order.Id}", Reason = Clip($"Removal order {order.Reference} ({order.AuthorityId}): disabled in every Member State", 1000),
        }, ct);
        if (!result.Applied) throw new InvalidOperationException(result.Error);
        return result.Actions.Count == 0
            ? (ItemStatus.AlreadyRemoved, decisionId, "the decision already removed the content; nothing done again")
            : (ItemStatus.Executed, decisionId, $"content.remove (all Member States), decision {decisionId}" + (result.Statement is null ? "" : $", statement of reasons {result.Statement}"));
    }

    /// <summary>The standing decision that removed the content, if any.</summary>
    private static async Task<long?> RemovedByAsync(BulwarkDbContext db, string contentId, CancellationToken ct)
    {
        var candidates = await db.Decisions.AsNoTracking().Where(d => d.ContentId == contentId && d.ReversedAt == null && d.ActionsJson.Contains(Measures.ContentRemove))
            .Select(d => new { d.Id, d.ActionsJson }).ToListAsync(ct);
        foreach (var c in candidates)
        {
            var row = new DecisionRow { ContentId = contentId, Outcome = "", Explanation = "", ActionsJson = c.ActionsJson };
            if (Bulwark.Core.Policy.Appeals.AppealReversal.ActionsOf(row).Any(a => a.Kind == Measures.ContentRemove && a.TargetId == contentId)) return c.Id;
        }
        return null;
    }

    // Moves the order to its next state from its items, writes Annex II and informs the provider; audited.
    private async Task SettleAsync(long id, string actor, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        // Two processes settling one order are serialised on its row (SQLite's single writer already does it): the second
        // sees the first's state, so the status change, Annex II and the provider's notice are recorded once.
        if (db.Provider == DatabaseProvider.Postgres)
            await db.Database.ExecuteSqlInterpolatedAsync($"SELECT id FROM removal_orders WHERE id = {id} FOR UPDATE", ct);
        var now = clock.GetUtcNow();
        var order = await db.Set<RemovalOrderRow>().FirstAsync(o => o.Id == id, ct);
        if (!OrderStatus.IsOpen(order.Status)) return;
        var items = await db.Set<RemovalOrderItemRow>().Where(i => i.OrderId == id).OrderBy(i => i.Id).ToListAsync(ct);
        var done = items.Count(i => i.Status is ItemStatus.Executed or ItemStatus.AlreadyRemoved);
        var status = done == items.Count ? OrderStatus.Executed : done > 0 ? OrderStatus.PartiallyExecuted : OrderStatus.Received;
        var records = new List<AuditRecord>();
        if (status != order.Status)
        {
            records.Add(new AuditRecord(actor, "removal_order." + status, $"removal_order:{id}", order.Status, $"{done} of {items.Count} item(s) done"));
            order.Status = status;
        }
        if (done > 0)
        {
            if (status == OrderStatus.Executed) order.ExecutedAt ??= now;
            var authority = await registry.GetAsync(order.AuthorityId, ct);
            order.FeedbackJson = AnnexForms.AnnexII(order, items, authority, options, now);
            order.FeedbackSentAt = null;
            order.FeedbackDelivery = "pending";
            await InformProviderAsync(db, order, items, now, records, ct);
        }
        await db.SaveChangesAsync(ct);
        if (records.Count > 0) await audit.AppendAsync(db, records, ct);
        await tx.CommitAsync(ct);
    }

    // Art. 11: the content provider is told of the removal and the order's reasons (through the platform: an outbox action),
    // unless the authority deferred it; the clock job sends it when the deferral ends.
    private async Task InformProviderAsync(BulwarkDbContext db, RemovalOrderRow order, List<RemovalOrderItemRow> items, DateTimeOffset now, List<AuditRecord> records, CancellationToken ct)
    {
        if (order.DeferInformingUntil is { } until && until > now) return;
        var acted = items.Where(i => i.Status == ItemStatus.Executed && i.ContentId is not null).ToList();
        if (acted.Count == 0) return;
        var accounts = await db.ContentItems.AsNoTracking().Where(c => acted.Select(a => a.ContentId).Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.AccountId, ct);
        var sent = 0;
        foreach (var i in acted)
        {
            var key = $"order{order.Id}:notice:{i.ContentId}";
            if (await db.Set<ActionRow>().AnyAsync(a => a.IdempotencyKey == key, ct)) continue;
            outbox.Enqueue(db, new PlatformAction(ProviderNotice, "content", i.ContentId!, options.PolicyByGround.GetValueOrDefault(order.Ground), i.DecisionId, key, new Dictionary<string, string>
            {
                ["order"] = order.Reference, ["authority"] = order.AuthorityId, ["memberState"] = order.MemberState,
                ["ground"] = $"Reg. 2021/784 Art. 2(7)({Grounds.Letter(order.Ground)}) {order.Ground}", ["reasons"] = order.Reasons,
                ["account"] = accounts.GetValueOrDefault(i.ContentId!) ?? "",
                ["remedies"] = "The provider may complain to the platform (Art. 10; the platform's appeal) and challenge the order before the courts of the issuing Member State (Art. 9).",
            }));
            sent++;
        }
        order.ProviderInformedAt ??= now;
        if (sent > 0) records.Add(new AuditRecord(OrderActor(order.Reference), "removal_order.provider_informed", $"removal_order:{order.Id}", null, $"{sent} notice(s) to the content provider (Art. 11)"));
    }

    /// <summary>Names the content an item means (a URL Bulwark could not map, or a corrected id); executes it if the order may run.</summary>
    public async Task<OrderResult> NameContentAsync(long id, long itemId, string? contentId, string actor, CancellationToken ct)
    {
        contentId = contentId?.Trim();
        if (string.IsNullOrEmpty(contentId) || contentId.Length > 128) return OrderResult.Invalid([new("contentId", "must be a content id of 1–128 characters")]);
        await using (var db = dbs.Create())
        {
            await using var tx = await dbs.BeginWriteAsync(db, ct);
            var order = await db.Set<RemovalOrderRow>().AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct);
            var item = await db.Set<RemovalOrderItemRow>().FirstOrDefaultAsync(i => i.Id == itemId && i.OrderId == id, ct);
            if (order is null || item is null) return OrderResult.Fail(OrderError.NotFound, $"There is no item {itemId} of removal order {id}.");
            if (!OrderStatus.IsOpen(order.Status)) return OrderResult.Fail(OrderError.Conflict, $"Order {id} is {order.Status}; its items can no longer change.");
            if (item.Status is not (ItemStatus.Unmatched or ItemStatus.Pending)) return OrderResult.Fail(OrderError.Conflict, $"Item {itemId} is {item.Status}; only an item not yet acted on can be named.");
            var before = item.ContentId;
            item.ContentId = contentId;
            var known = (await KnownContentAsync(db, [contentId], ct)).Count > 0;
            item.Status = known ? ItemStatus.Pending : ItemStatus.Unmatched;
            item.MatchedAt = known ? clock.GetUtcNow() : null;
            item.Note = known ? $"named by {actor}" : $"named by {actor}; waits for the content to arrive";
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(db, [new AuditRecord(actor, "removal_order.item_named", $"removal_order:{id}", before, $"item {itemId} ({item.Value}) → content {contentId}{(known ? "" : " (not yet known)")}")], ct);
            await tx.CommitAsync(ct);
        }
        await ExecuteAsync(id, actor, ct);
        return OrderResult.Ok((await GetAsync(id, ct))!);
    }

    // ───────────────────────────── Annex III, scrutiny, delivery ─────────────────────────────

    /// <summary>
    /// Annex III (Art. 3(7), 3(8)): the order cannot be executed, for <paramref name="ground"/> with <paramref name="reasons"/>.
    /// Only an open order; its items not yet done become <c>not_executed</c>. Sent to the authority without undue delay.
    /// </summary>
    public async Task<OrderResult> FileAnnexIIIAsync(long id, string? ground, string? reasons, string actor, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (ground is null || !ImpossibilityGrounds.All.Contains(ground)) errors.Add(new("ground", $"must be one of {string.Join(", ", ImpossibilityGrounds.All)}"));
        if (string.IsNullOrWhiteSpace(reasons)) errors.Add(new("reasons", "is required: why the order cannot be executed (and, for manifest errors or insufficient information, what is needed)"));
        else if (reasons.Length > MaxReasonsLength) errors.Add(new("reasons", $"must be at most {MaxReasonsLength} characters"));
        if (errors.Count > 0) return OrderResult.Invalid(errors);
        await using (var db = dbs.Create())
        {
            await using var tx = await dbs.BeginWriteAsync(db, ct);
            var now = clock.GetUtcNow();
            var order = await db.Set<RemovalOrderRow>().FirstOrDefaultAsync(o => o.Id == id, ct);
            if (order is null) return OrderResult.Fail(OrderError.NotFound, $"There is no removal order {id}.");
            if (!OrderStatus.IsOpen(order.Status)) return OrderResult.Fail(OrderError.Conflict, $"Order {id} is {order.Status}; Annex III is filed for an open order only.");
            var items = await db.Set<RemovalOrderItemRow>().Where(i => i.OrderId == id).OrderBy(i => i.Id).ToListAsync(ct);
            foreach (var i in items.Where(i => i.Status is ItemStatus.Pending or ItemStatus.Unmatched)) i.Status = ItemStatus.NotExecuted;
            var before = order.Status;
            order.Status = OrderStatus.NotExecuted;
            order.ImpossibleGround = ground;
            order.ImpossibleReasons = reasons!.Trim();
            order.AnnexIIIJson = AnnexForms.AnnexIII(order, items, await registry.GetAsync(order.AuthorityId, ct), options, actor, now);
            order.AnnexIIIDelivery = "pending";
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(db, [new AuditRecord(actor, "removal_order.not_executed", $"removal_order:{id}", before, $"Annex III: {ground}", Clip(reasons, 1000))], ct);
            await tx.CommitAsync(ct);
        }
        await DeliverAsync(id, ct);
        return OrderResult.Ok((await GetAsync(id, ct))!);
    }

    /// <summary>
    /// Art. 4 scrutiny of a cross-border order: <c>upheld</c>, or <c>infringes</c> — the content is reinstated now (within
    /// <see cref="RemovalOrderOptions.ReinstateWithinHours"/>, the due time recorded) through the restriction writer's undo,
    /// and the authority is informed (a reinstatement section in the feedback, sent again).
    /// </summary>
    public async Task<OrderResult> RecordScrutinyAsync(long id, string? outcome, string? note, string actor, CancellationToken ct)
    {
        if (outcome is not ("upheld" or "infringes")) return OrderResult.Invalid([new("outcome", "must be 'upheld' or 'infringes'")]);
        if (note is { Length: > 2000 }) return OrderResult.Invalid([new("note", "must be at most 2000 characters")]);
        await using (var db = dbs.Create())
        {
            await using var tx = await dbs.BeginWriteAsync(db, ct);
            var now = clock.GetUtcNow();
            var order = await db.Set<RemovalOrderRow>().FirstOrDefaultAsync(o => o.Id == id, ct);
            if (order is null) return OrderResult.Fail(OrderError.NotFound, $"There is no removal order {id}.");
            if (!order.CrossBorder) return OrderResult.Fail(OrderError.Conflict, $"Order {id} is not cross-border; Art. 4 scrutiny applies to cross-border orders only.");
            if (order.ScrutinyOutcome is not null) return OrderResult.Fail(OrderError.Conflict, $"Order {id} already has a scrutiny decision ({order.ScrutinyOutcome}).");
            if (order.Status is not (OrderStatus.Executed or OrderStatus.PartiallyExecuted or OrderStatus.Received))
                return OrderResult.Fail(OrderError.Conflict, $"Order {id} is {order.Status}; there is nothing to scrutinise.");
            order.ScrutinyOutcome = outcome;
            order.ScrutinyBy = actor;
            order.ScrutinyNote = Blank(note);
            order.ScrutinyAt = now;
            var records = new List<AuditRecord> { new(actor, "removal_order.scrutiny", $"removal_order:{id}", null, outcome, Blank(note)) };
            if (outcome == "infringes")
            {
                order.ReinstateDueAt = now.AddHours(options.ReinstateWithinHours);
                var items = await db.Set<RemovalOrderItemRow>().Where(i => i.OrderId == id).OrderBy(i => i.Id).ToListAsync(ct);
                var reinstated = 0;
                foreach (var i in items.Where(i => i.Status == ItemStatus.Executed && i.DecisionId is not null))
                {
                    var decision = await db.Decisions.FirstAsync(d => d.Id == i.DecisionId, ct);
                    if (decision.ReversedAt is null)
                    {
                        // Only what this order did: a strike or restriction the decision carries for other reasons stands.
                        var (_, undo) = await writer.UndoAuthorityOrderAsync(db, decision, $"o{id}", $"order{id}:reinstated",
                            new Dictionary<string, string> { ["order"] = order.Reference, ["source"] = "removal_order_scrutiny" },
                            $"Art. 4 scrutiny: removal order {order.Reference} infringes the Regulation or fundamental rights", actor, ct);
                        records.AddRange(undo);
                    }
                    i.Status = ItemStatus.Reinstated;
                    i.ReinstatedAt = now;
                    reinstated++;
                }
                foreach (var i in items.Where(i => i.Status is ItemStatus.Pending or ItemStatus.Unmatched)) i.Status = ItemStatus.NotExecuted;
                order.ReinstatedAt = now;
                records.Add(new AuditRecord(actor, "removal_order.reinstated", $"removal_order:{id}", order.Status, $"{reinstated} item(s) reinstated"));
                order.Status = OrderStatus.Reinstated;
                order.FeedbackJson = AnnexForms.AnnexII(order, items, await registry.GetAsync(order.AuthorityId, ct), options, now);
                order.FeedbackSentAt = null;
                order.FeedbackDelivery = "pending";
            }
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(db, records, ct);
            await tx.CommitAsync(ct);
        }
        await DeliverAsync(id, ct);
        return OrderResult.Ok((await GetAsync(id, ct))!);
    }

    /// <summary>Records that a form was sent by hand (phone, portal, printed): <paramref name="form"/> is <c>feedback</c> or <c>annex-iii</c>.</summary>
    public async Task<OrderResult> MarkSentAsync(long id, string? form, string? how, string actor, CancellationToken ct)
    {
        if (form is not ("feedback" or "annex-iii")) return OrderResult.Invalid([new("form", "must be 'feedback' or 'annex-iii'")]);
        if (string.IsNullOrWhiteSpace(how) || how.Length > 500) return OrderResult.Invalid([new("how", "is required (e.g. 'by phone to the duty officer'), at most 500 characters")]);
        await using (var db = dbs.Create())
        {
            await using var tx = await dbs.BeginWriteAsync(db, ct);
            var order = await db.Set<RemovalOrderRow>().FirstOrDefaultAsync(o => o.Id == id, ct);
            if (order is null) return OrderResult.Fail(OrderError.NotFound, $"There is no removal order {id}.");
            var now = clock.GetUtcNow();
            if (form == "feedback")
            {
                if (order.FeedbackJson is null) return OrderResult.Fail(OrderError.Conflict, $"Order {id} has no Annex II feedback yet.");
                order.FeedbackSentAt = now;
                order.FeedbackDelivery = $"sent by hand: {how.Trim()} ({actor})";
            }
            else
            {
                if (order.AnnexIIIJson is null) return OrderResult.Fail(OrderError.Conflict, $"Order {id} has no Annex III.");
                order.AnnexIIISentAt = now;
                order.AnnexIIIDelivery = $"sent by hand: {how.Trim()} ({actor})";
            }
            if (order.ReinstatedAt is not null && form == "feedback") order.AuthorityInformedOfReinstatementAt ??= now;
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(db, [new AuditRecord(actor, "removal_order.form_sent", $"removal_order:{id}", null, $"{form}: {how.Trim()}")], ct);
            await tx.CommitAsync(ct);
        }
        return OrderResult.Ok((await GetAsync(id, ct))!);
    }

    /// <summary>Sends pending forms through the issuing authority's channel (https); other channels wait for a person to send them.</summary>
    public async Task DeliverAsync(long id, CancellationToken ct)
    {
        RemovalOrderRow order;
        await using (var db = dbs.Create()) order = await db.Set<RemovalOrderRow>().AsNoTracking().FirstAsync(o => o.Id == id, ct);
        var authority = await registry.GetAsync(order.AuthorityId, ct);
        foreach (var (form, json, sent) in new[] { ("feedback", order.FeedbackJson, order.FeedbackSentAt), ("annex-iii", order.AnnexIIIJson, order.AnnexIIISentAt) })
        {
            if (json is null || sent is not null) continue;
            var (ok, note) = authority is null ? (false, "the authority is no longer in the registry: send it by hand")
                : await delivery.SendAsync(authority, form, json, ct);
            await using var db = dbs.Create();
            await using var tx = await dbs.BeginWriteAsync(db, ct);
            var row = await db.Set<RemovalOrderRow>().FirstAsync(o => o.Id == id, ct);
            var now = clock.GetUtcNow();
            if (form == "feedback") { row.FeedbackDelivery = Clip(note, 1000); if (ok) { row.FeedbackSentAt = now; if (row.ReinstatedAt is not null) row.AuthorityInformedOfReinstatementAt ??= now; } }
            else { row.AnnexIIIDelivery = Clip(note, 1000); if (ok) row.AnnexIIISentAt = now; }
            await db.SaveChangesAsync(ct);
            if (ok) await audit.AppendAsync(db, [new AuditRecord("removal-orders", "removal_order.form_sent", $"removal_order:{id}", null, $"{form}: {note}")], ct);
            await tx.CommitAsync(ct);
        }
    }

    // ───────────────────────────── the clock ─────────────────────────────

    /// <summary>
    /// One run of the clock job: matches items whose content has arrived and executes what may run; alerts legal officers at
    /// <see cref="RemovalOrderOptions.AlertAfterMinutes"/> (audit entry, <c>authority.removal_order.due_soon</c> event) and
    /// records a breach with its cause at the deadline (<c>authority.removal_order.breached</c>); informs content providers
    /// whose deferral ended; retries forms not yet delivered. Returns what it did, for tests and logs.
    /// </summary>
    public async Task<ClockRun> TickAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var run = new ClockRun();
        // 1. content that arrived since
        List<long> runnable;
        await using (var db = dbs.Create())
        {
            await using var tx = await dbs.BeginWriteAsync(db, ct);
            var waiting = await (from i in db.Set<RemovalOrderItemRow>().AsNoTracking()
                                 join o in db.Set<RemovalOrderRow>() on i.OrderId equals o.Id
                                 where i.Status == ItemStatus.Unmatched && i.ContentId != null && (o.Status == OrderStatus.Received || o.Status == OrderStatus.PartiallyExecuted)
                                 select i).ToListAsync(ct);
            var known = await KnownContentAsync(db, waiting.Select(i => i.ContentId!).Distinct().ToList(), ct);
            // Conditional: another process's clock job may match (and execute) the same item meanwhile.
            foreach (var i in waiting.Where(i => known.Contains(i.ContentId!)))
                run.Matched += await db.Set<RemovalOrderItemRow>().Where(x => x.Id == i.Id && x.Status == ItemStatus.Unmatched).ExecuteUpdateAsync(u => u
                    .SetProperty(x => x.Status, ItemStatus.Pending).SetProperty(x => x.MatchedAt, now).SetProperty(x => x.Note, "the content arrived after the order"), ct);
            await tx.CommitAsync(ct);
            runnable = await db.Set<RemovalOrderItemRow>().AsNoTracking().Where(i => i.Status == ItemStatus.Pending).Select(i => i.OrderId).Distinct().ToListAsync(ct);
        }
        foreach (var id in runnable)
            await ExecuteAsync(id, OrderActor((await ReferenceAsync(id, ct))!), ct);

        // 2. alerts and breaches, 3. deferred notices
        await using (var db = dbs.Create())
        {
            await using var tx = await dbs.BeginWriteAsync(db, ct);
            // The clock jobs of several processes take turns here (SQLite's single writer already does it), so an alert,
            // a breach or a deferred notice is recorded and sent once.
            if (db.Provider == DatabaseProvider.Postgres)
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtext('bulwark.removal_orders.clock'))", ct);
            var alertBefore = now.AddMinutes(-options.AlertAfterMinutes);
            var open = await db.Set<RemovalOrderRow>().Where(o => (o.Status == OrderStatus.Received || o.Status == OrderStatus.PartiallyExecuted)
                && ((o.AlertedAt == null && o.ReceivedAt <= alertBefore) || (o.BreachedAt == null && o.DueAt <= now))).ToListAsync(ct);
            var records = new List<AuditRecord>();
            foreach (var o in open)
            {
                var items = await db.Set<RemovalOrderItemRow>().AsNoTracking().Where(i => i.OrderId == o.Id).ToListAsync(ct);
                var cause = Cause(o, items);
                if (o.AlertedAt is null && o.ReceivedAt <= alertBefore)
                {
                    o.AlertedAt = now;
                    outbox.Enqueue(db, Event(DueSoonEvent, o, cause, now));
                    records.Add(new AuditRecord("removal-orders", "removal_order.alerted", $"removal_order:{o.Id}", null, $"{(int)(o.DueAt - now).TotalMinutes} minute(s) left: {cause}"));
                    run.Alerted++;
                }
                if (o.BreachedAt is null && o.DueAt <= now)
                {
                    o.BreachedAt = o.DueAt;
                    o.BreachCause = Clip(cause, 1000);
                    outbox.Enqueue(db, Event(BreachedEvent, o, cause, now));
                    records.Add(new AuditRecord("removal-orders", "removal_order.breached", $"removal_order:{o.Id}", o.Status, $"not executed within {options.DeadlineMinutes} minutes of receipt: {cause}"));
                    run.Breached++;
                }
            }
            var deferred = await db.Set<RemovalOrderRow>().Where(o => o.ProviderInformedAt == null && o.DeferInformingUntil != null && o.DeferInformingUntil <= now
                && (o.Status == OrderStatus.Executed || o.Status == OrderStatus.PartiallyExecuted)).ToListAsync(ct);
            foreach (var o in deferred)
            {
                var items = await db.Set<RemovalOrderItemRow>().Where(i => i.OrderId == o.Id).ToListAsync(ct);
                await InformProviderAsync(db, o, items, now, records, ct);
                run.ProvidersInformed++;
            }
            await db.SaveChangesAsync(ct);
            if (records.Count > 0) await audit.AppendAsync(db, records, ct);
            await tx.CommitAsync(ct);
        }
        // 4. forms not yet delivered (https channels)
        List<long> undelivered;
        await using (var db = dbs.Create())
            undelivered = await db.Set<RemovalOrderRow>().AsNoTracking().Where(o => (o.FeedbackJson != null && o.FeedbackSentAt == null) || (o.AnnexIIIJson != null && o.AnnexIIISentAt == null))
                .OrderBy(o => o.Id).Select(o => o.Id).Take(50).ToListAsync(ct);
        foreach (var id in undelivered) await DeliverAsync(id, ct);
        return run;
    }

    private static string Cause(RemovalOrderRow o, List<RemovalOrderItemRow> items)
    {
        var parts = new List<string>();
        if (o.NeedsConfirmation && o.ConfirmedBy is null) parts.Add("no legal officer has confirmed it");
        var unmatched = items.Where(i => i.Status == ItemStatus.Unmatched).ToList();
        if (unmatched.Count > 0) parts.Add($"{unmatched.Count} item(s) name content the platform does not hold ({string.Join(", ", unmatched.Take(3).Select(i => i.Value))}{(unmatched.Count > 3 ? ", …" : "")})");
        var failing = items.Where(i => i.Status == ItemStatus.Pending && i.Note is not null && i.Note.StartsWith("execution failed", StringComparison.Ordinal)).ToList();
        if (failing.Count > 0) parts.Add($"{failing.Count} item(s) failed to execute ({failing[0].Note})");
        if (parts.Count == 0) parts.Add($"{items.Count(i => i.Status == ItemStatus.Pending)} item(s) pending");
        return string.Join("; ", parts);
    }

    private PlatformAction Event(string kind, RemovalOrderRow o, string cause, DateTimeOffset now) =>
        new(kind, EventTarget, o.Id.ToString(CultureInfo.InvariantCulture), options.PolicyByGround.GetValueOrDefault(o.Ground), null, $"order{o.Id}:{kind}",
            new Dictionary<string, string>
            {
                ["order"] = o.Reference, ["authority"] = o.AuthorityId, ["memberState"] = o.MemberState, ["receivedAt"] = o.ReceivedAt.ToString("O", CultureInfo.InvariantCulture),
                ["dueAt"] = o.DueAt.ToString("O", CultureInfo.InvariantCulture), ["minutesLeft"] = ((int)Math.Floor((o.DueAt - now).TotalMinutes)).ToString(CultureInfo.InvariantCulture),
                ["status"] = o.Status, ["cause"] = cause,
            });

    // ───────────────────────────── reading ─────────────────────────────

    public async Task<RemovalOrderView?> GetAsync(long id, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var row = await db.Set<RemovalOrderRow>().AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct);
        if (row is null) return null;
        var items = await db.Set<RemovalOrderItemRow>().AsNoTracking().Where(i => i.OrderId == id).OrderBy(i => i.Id).ToListAsync(ct);
        var names = await AuthorityNamesAsync(db, [row.AuthorityId], ct);
        return View(row, items, names);
    }

    /// <summary>Orders, newest first; <paramref name="status"/> filters (<c>open</c> = received or partially executed).</summary>
    public async Task<IReadOnlyList<RemovalOrderView>> ListAsync(string? status, long? before, int limit, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var q = db.Set<RemovalOrderRow>().AsNoTracking();
        if (status == "open") q = q.Where(o => o.Status == OrderStatus.Received || o.Status == OrderStatus.PartiallyExecuted);
        else if (status is not null) q = q.Where(o => o.Status == status);
        if (before is { } b) q = q.Where(o => o.Id < b);
        var rows = await q.OrderByDescending(o => o.Id).Take(limit).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var items = (await db.Set<RemovalOrderItemRow>().AsNoTracking().Where(i => ids.Contains(i.OrderId)).ToListAsync(ct)).ToLookup(i => i.OrderId);
        var names = await AuthorityNamesAsync(db, rows.Select(r => r.AuthorityId).Distinct().ToList(), ct);
        return rows.Select(r => View(r, items[r.Id].OrderBy(i => i.Id).ToList(), names)).ToList();
    }

    /// <summary>Open orders past the alert time, for the console's banner.</summary>
    public async Task<IReadOnlyList<RemovalOrderView>> AlertingAsync(CancellationToken ct)
    {
        var alertBefore = clock.GetUtcNow().AddMinutes(-options.AlertAfterMinutes);
        await using var db = dbs.Create();
        var ids = await db.Set<RemovalOrderRow>().AsNoTracking().Where(o => (o.Status == OrderStatus.Received || o.Status == OrderStatus.PartiallyExecuted) && o.ReceivedAt <= alertBefore)
            .OrderBy(o => o.DueAt).Select(o => o.Id).Take(20).ToListAsync(ct);
        var list = new List<RemovalOrderView>();
        foreach (var id in ids) list.Add((await GetAsync(id, ct))!);
        return list;
    }

    private async Task<string?> ReferenceAsync(long id, CancellationToken ct)
    {
        await using var db = dbs.Create();
        return await db.Set<RemovalOrderRow>().AsNoTracking().Where(o => o.Id == id).Select(o => o.Reference).FirstOrDefaultAsync(ct);
    }

    private static async Task<Dictionary<string, string>> AuthorityNamesAsync(BulwarkDbContext db, List<string> ids, CancellationToken ct) =>
        await db.Set<CompetentAuthorityRow>().AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);

    private static async Task<HashSet<string>> KnownContentAsync(BulwarkDbContext db, List<string> ids, CancellationToken ct)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in ids.Distinct().Chunk(500))
            found.UnionWith(await db.ContentItems.AsNoTracking().Where(c => chunk.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct));
        return found;
    }

    private static RemovalOrderView View(RemovalOrderRow r, List<RemovalOrderItemRow> items, Dictionary<string, string> names) => new(
        r.Id, r.Reference, r.AuthorityId, names.GetValueOrDefault(r.AuthorityId) ?? r.AuthorityId, r.MemberState, r.IssuedAt, r.ReceivedAt, r.DueAt, r.Status,
        r.ExecutedAt, r.Ground, r.LegalBasis, r.Reasons, r.DeferInformingUntil, r.CrossBorder, r.FeedbackContact, r.NeedsConfirmation, r.ConfirmedBy,
        r.AlertedAt, r.BreachedAt, r.BreachCause, Parse(r.FeedbackJson), r.FeedbackSentAt, r.FeedbackDelivery, Parse(r.AnnexIIIJson), r.AnnexIIISentAt,
        r.AnnexIIIDelivery, r.ProviderInformedAt, r.ScrutinyOutcome, r.ScrutinyAt, r.ReinstateDueAt, r.ReinstatedAt, r.ReceivedBy,
        items.Select(i => new RemovalOrderItemView(i.Id, i.Kind, i.Value, i.ContentId, i.Status, i.DecisionId, i.ExecutedAt, i.ReinstatedAt, i.Note)).ToList());

    private static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
    internal static string Clip(string? s, int max) => s is null ? "" : s.Length <= max ? s : s[..(max - 1)] + "…";
}

/// <summary>What one run of the clock job did.</summary>
public sealed class ClockRun
{
    public int Matched { get; set; }
    public int Alerted { get; set; }
    public int Breached { get; set; }
    public int ProvidersInformed { get; set; }
}
