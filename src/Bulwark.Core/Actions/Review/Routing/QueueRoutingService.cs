using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.Core.Actions.Restrictions;
using Bulwark.Core.Policy;
using Bulwark.Core.Policy.Rules;
using Bulwark.Core.Records;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Actions.Review.Routing;

/// <summary>
/// Queues and routing managed by policy admins in the console (issue 23, item 5). A queue change is previewed (each field
/// before and after, the open cases it touches, the rules that route there), then stored as a new version of every
/// console-defined queue and put in force at once (in this process; others read the newest version within
/// <see cref="RefreshInterval"/>). A routing change rewrites the target queue of one rule action and activates the rule set
/// through <see cref="PolicyStore"/>, so it is versioned and audited like any rule change. Every change needs a reason and is
/// audited; anything invalid is refused with the field named and nothing stored.
/// </summary>
public sealed partial class QueueRoutingService(IBulwarkDbFactory dbs, ReviewOptions options, PolicyStore policies, AuditLog audit, TimeProvider clock)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);
    public const int MaxReason = 500;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private long _loadedId = -1;

    /// <summary>The actions a queue may be limited to: what a reviewer can confirm.</summary>
    public static readonly IReadOnlyList<string> Actions = [.. Measures.ConfirmableContent, .. Measures.ConfirmableAccount];

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex NamePattern();

    public static bool MayManage(ReviewUser user) => user.Roles.Contains(ConsoleRoles.PolicyAdmin);
    public static bool MayRead(ReviewUser user) => MayManage(user) || user.Roles.Contains(ConsoleRoles.Auditor);

    /// <summary>Reads the newest stored version and puts it in force if it is not already (start-up, and other processes' changes).</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        var newest = await db.Set<QueueVersionRow>().AsNoTracking().OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        if (newest is null || newest.Id == Interlocked.Read(ref _loadedId)) return;
        Apply(newest);
    }

    private void Apply(QueueVersionRow row)
    {
        var queues = JsonSerializer.Deserialize<List<QueueDefinition>>(row.Json, Json) ?? [];
        options.UseManagedQueues(queues.ToDictionary(q => q.Name, q => q.ToSettings(), StringComparer.Ordinal));
        Interlocked.Exchange(ref _loadedId, row.Id);
    }

    /// <summary>Every queue known (built in, configured, defined in the console, or holding cases), with its settings in force.</summary>
    public async Task<IReadOnlyList<QueueSettings>> QueuesAsync(CancellationToken ct)
    {
        await RefreshAsync(ct);
        await using var db = dbs.Create();
        var withCases = await db.Set<ReviewCaseRow>().AsNoTracking().Select(c => c.Queue).Distinct().ToListAsync(ct);
        return ReviewOptions.BuiltIn.Keys.Concat(options.Queues.Keys).Concat(options.ManagedQueues.Keys).Concat(withCases)
            .Distinct(StringComparer.Ordinal).Select(options.Queue)
            .OrderBy(q => q.Retired).ThenBy(q => q.Order).ThenBy(q => q.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Every rule action that routes items to a queue (review, review_account, escalate), in the rule set in force.</summary>
    public async Task<IReadOnlyList<RoutingRule>> RoutesAsync(CancellationToken ct)
    {
        var rules = await policies.GetActiveRulesAsync(ct);
        return rules.Rules.SelectMany(r => r.Definition.Then.Where(Routes).Select(a => new RoutingRule(
            r.Name, r.Definition.At.File, r.Policy, r.ModeName, a.Argument!, a.Priority))).ToList();
    }

    private static bool Routes(RuleAction a) => a.Kind is "review" or "review_account" or "escalate" && a.Argument is not null;

    public async Task<IReadOnlyList<QueueVersion>> HistoryAsync(int take, CancellationToken ct)
    {
        await using var db = dbs.Create();
        return await db.Set<QueueVersionRow>().AsNoTracking().OrderByDescending(r => r.Id).Take(take)
            .Select(r => new QueueVersion(r.Id, r.Queue, r.Change, r.Reason, r.CreatedBy, r.CreatedAt)).ToListAsync(ct);
    }

    /// <summary>What saving <paramref name="proposed"/> would do, or every error in it (nothing is stored either way).</summary>
    public async Task<ReviewResult<QueueChangePreview>> PreviewAsync(QueueDefinition proposed, bool create, ReviewUser user, CancellationToken ct)
    {
        if (!MayRead(user)) return ReviewResult<QueueChangePreview>.Fail(ReviewError.Forbidden, $"Queues are managed by {ConsoleRoles.PolicyAdmin}; your roles are {ReviewQueueService.Roles(user)}.");
        await RefreshAsync(ct);
        var known = await QueuesAsync(ct);
        var current = known.FirstOrDefault(q => q.Name == proposed.Name);
        var errors = Validate(proposed).ToList();
        if (create && current is not null) errors.Insert(0, $"name: a queue '{proposed.Name}' already exists");
        if (!create && current is null) errors.Insert(0, $"name: there is no queue '{proposed.Name}'");
        if (create && proposed.Retired) errors.Add("retired: a new queue cannot start retired");
        var routes = (await RoutesAsync(ct)).Where(r => r.Queue == proposed.Name).Select(r => r.Rule).Distinct().ToList();
        await using var db = dbs.Create();
        var open = await db.Set<ReviewCaseRow>().AsNoTracking().Where(c => c.Status == ReviewCaseStatus.Open && c.Queue == proposed.Name).CountAsync(ct);
        if (proposed.Retired && current is { Retired: false })
        {
            if (routes.Count > 0) errors.Add($"retired: rules still route to '{proposed.Name}' ({string.Join(", ", routes)}); route them elsewhere first");
            if (open > 0) errors.Add($"retired: '{proposed.Name}' still has {open} open case(s); decide or move them first");
            if (ReviewOptions.BuiltIn.ContainsKey(proposed.Name) && proposed.Name is ReviewQueues.Appeals or ReviewQueues.Qa or ReviewQueues.QaDisagreement)
                errors.Add($"retired: '{proposed.Name}' is where Bulwark itself opens cases and cannot be retired");
        }
        if (errors.Count > 0) return ReviewResult<QueueChangePreview>.Fail(ReviewError.Invalid, string.Join("; ", errors));

        var fields = current is null ? Describe(null, proposed) : Describe(QueueDefinition.From(current), proposed);
        var notes = new List<string>();
        var losing = 0;
        if (current is not null && !current.Roles.OrderBy(r => r).SequenceEqual(proposed.Roles.OrderBy(r => r)))
        {
            var removed = current.Roles.Except(proposed.Roles).ToList();
            if (removed.Count > 0) losing = open;
        }
        if (current is not null && current.SlaMinutes != proposed.SlaMinutes && open > 0) notes.Add("sla-new-cases-only");
        return ReviewResult<QueueChangePreview>.Success(new QueueChangePreview(proposed.Name, current is null, fields, open, losing, routes, notes));
    }

    /// <summary>Stores <paramref name="proposed"/> as a new version and puts it in force, if the preview accepts it; audited.</summary>
    public async Task<ReviewResult<QueueChangePreview>> SaveAsync(QueueDefinition proposed, bool create, string? reason, ReviewUser user, CancellationToken ct)
    {
        if (!MayManage(user)) return ReviewResult<QueueChangePreview>.Fail(ReviewError.Forbidden, $"Queues are changed by {ConsoleRoles.PolicyAdmin}; your roles are {ReviewQueueService.Roles(user)}.");
        if (Reason(reason) is { } bad) return ReviewResult<QueueChangePreview>.Fail(ReviewError.Invalid, bad);
        await _lock.WaitAsync(ct);
        try
        {
            var preview = await PreviewAsync(proposed, create, user, ct);
            if (!preview.Ok) return preview;
            if (!preview.Value!.Changes) return ReviewResult<QueueChangePreview>.Fail(ReviewError.Invalid, $"nothing to save: '{proposed.Name}' already has these settings");
            var before = options.ManagedQueues.TryGetValue(proposed.Name, out var b) ? b : null;
            var all = options.ManagedQueues.Values.Select(QueueDefinition.From).Where(q => q.Name != proposed.Name).Append(proposed)
                .OrderBy(q => q.Name, StringComparer.Ordinal).ToList();
            var change = string.Join("; ", preview.Value.Fields.Select(f => $"{f.Field} {f.Before} → {f.After}"));
            var action = create ? "review.queue_created" : proposed.Retired && !(before?.Retired ?? options.Queue(proposed.Name).Retired) ? "review.queue_retired" : "review.queue_changed";
            var row = new QueueVersionRow
            {
                Json = JsonSerializer.Serialize(all, Json), Queue = proposed.Name, Change = create ? "created: " + change : change,
                Reason = reason!.Trim(), CreatedBy = user.Name, CreatedAt = clock.GetUtcNow(),
            };
            var written = await WriteVersionAsync(row, [new AuditRecord(user.Name, action, "queue:" + proposed.Name,
                create ? null : JsonSerializer.Serialize(QueueDefinition.From(options.Queue(proposed.Name)), Json), JsonSerializer.Serialize(proposed, Json), row.Reason)], ct);
            return written is null ? preview : ReviewResult<QueueChangePreview>.Fail(ReviewError.Stale, written);
        }
        finally { _lock.Release(); }
    }

    /// <summary>
    /// Stores a new version built from the version this process has in force, and puts it in force; or, when another process
    /// stored a version meanwhile (its change would be lost: every version holds all queues), stores nothing, loads the newer
    /// version and says so. The check and the insert share the writing transaction (SQLite's single writer; a PostgreSQL
    /// advisory lock), so two processes cannot both pass it.
    /// </summary>
    private async Task<string?> WriteVersionAsync(QueueVersionRow row, IReadOnlyList<AuditRecord> audits, CancellationToken ct)
    {
        await using (var db = dbs.Create())
        {
            await using var tx = await dbs.BeginWriteAsync(db, ct);
            if (db.Provider == DatabaseProvider.Postgres)
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtext('bulwark.review_queue_versions'))", ct);
            var newest = await db.Set<QueueVersionRow>().AsNoTracking().OrderByDescending(r => r.Id).Select(r => (long?)r.Id).FirstOrDefaultAsync(ct) ?? -1;
            if (newest == Interlocked.Read(ref _loadedId))
            {
                db.Set<QueueVersionRow>().Add(row);
                await db.SaveChangesAsync(ct);
                await audit.AppendAsync(db, audits, ct);
                await tx.CommitAsync(ct);
                Apply(row);
                return null;
            }
        }
        await RefreshAsync(ct);
        return "the queues were changed meanwhile (another version was stored); nothing was saved: look at them again and preview the change anew";
    }

    /// <summary>
    /// What restoring stored version <paramref name="versionId"/> would do: each queue defined in that version whose settings
    /// differ now goes back to them (each change checked as a queue change is: a queue that rules route to or that holds open
    /// cases is not retired); queues defined since are kept as they are (<see cref="QueueRestorePreview.Kept"/>).
    /// </summary>
    public async Task<ReviewResult<QueueRestorePreview>> PreviewRestoreAsync(long versionId, ReviewUser user, CancellationToken ct)
    {
        if (!MayRead(user)) return ReviewResult<QueueRestorePreview>.Fail(ReviewError.Forbidden, $"Queues are managed by {ConsoleRoles.PolicyAdmin}; your roles are {ReviewQueueService.Roles(user)}.");
        await RefreshAsync(ct);
        QueueVersionRow? row;
        await using (var db = dbs.Create())
            row = await db.Set<QueueVersionRow>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == versionId, ct);
        if (row is null) return ReviewResult<QueueRestorePreview>.Fail(ReviewError.NotFound, $"version: there is no queue version {versionId}");
        var basedOn = Interlocked.Read(ref _loadedId);
        if (row.Id == basedOn) return ReviewResult<QueueRestorePreview>.Fail(ReviewError.Invalid, $"version: {versionId} is the version in force");
        var then = JsonSerializer.Deserialize<List<QueueDefinition>>(row.Json, Json) ?? [];
        var changes = new List<QueueChangePreview>();
        var errors = new List<string>();
        var known = (await QueuesAsync(ct)).Select(q => q.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var q in then)
        {
            var p = await PreviewAsync(q, create: !known.Contains(q.Name), user, ct);
            if (!p.Ok) errors.Add($"{q.Name}: {p.Message}");
            else if (p.Value!.Changes) changes.Add(p.Value);
        }
        if (errors.Count > 0) return ReviewResult<QueueRestorePreview>.Fail(ReviewError.Invalid, $"version {versionId} cannot be restored: {string.Join("; ", errors)}");
        if (changes.Count == 0) return ReviewResult<QueueRestorePreview>.Fail(ReviewError.Invalid, $"nothing to restore: the queues of version {versionId} already have those settings");
        var kept = options.ManagedQueues.Keys.Except(then.Select(q => q.Name)).Order(StringComparer.Ordinal).ToList();
        return ReviewResult<QueueRestorePreview>.Success(new QueueRestorePreview(row.Id, row.CreatedBy, row.CreatedAt, basedOn, changes, kept));
    }

    /// <summary>
    /// Restores version <paramref name="versionId"/> as previewed against version <paramref name="basedOn"/> (the version in
    /// force when the preview was shown; a change since then refuses the restore). Stored as a new version, audited as
    /// <c>review.queue_restored</c> per queue with its settings before and after and the reason.
    /// </summary>
    public async Task<ReviewResult<QueueRestorePreview>> RestoreAsync(long versionId, long basedOn, string? reason, ReviewUser user, CancellationToken ct)
    {
        if (!MayManage(user)) return ReviewResult<QueueRestorePreview>.Fail(ReviewError.Forbidden, $"Queues are changed by {ConsoleRoles.PolicyAdmin}; your roles are {ReviewQueueService.Roles(user)}.");
        if (Reason(reason) is { } bad) return ReviewResult<QueueRestorePreview>.Fail(ReviewError.Invalid, bad);
        await _lock.WaitAsync(ct);
        try
        {
            var preview = await PreviewRestoreAsync(versionId, user, ct);
            if (!preview.Ok) return preview;
            var p = preview.Value!;
            if (p.BasedOn != basedOn)
                return ReviewResult<QueueRestorePreview>.Fail(ReviewError.Stale, "the queues were changed after the preview; nothing was restored: preview the restore again");
            var restored = p.Changes.Select(c => c.Queue).ToHashSet(StringComparer.Ordinal);
            var row0 = await VersionAsync(versionId, ct);
            var then = (JsonSerializer.Deserialize<List<QueueDefinition>>(row0.Json, Json) ?? []).Where(q => restored.Contains(q.Name)).ToList();
            var all = options.ManagedQueues.Values.Select(QueueDefinition.From).Where(q => !restored.Contains(q.Name)).Concat(then)
                .OrderBy(q => q.Name, StringComparer.Ordinal).ToList();
            var change = $"restored version {versionId}: " + string.Join("; ", p.Changes.Select(c =>
                c.Queue + " " + string.Join(", ", c.Fields.Select(f => $"{f.Field} {f.Before} → {f.After}"))));
            var row = new QueueVersionRow
            {
                Json = JsonSerializer.Serialize(all, Json), Queue = p.Changes[0].Queue, Change = change,
                Reason = reason!.Trim(), CreatedBy = user.Name, CreatedAt = clock.GetUtcNow(),
            };
            var audits = then.Select(q => new AuditRecord(user.Name, "review.queue_restored", "queue:" + q.Name,
                JsonSerializer.Serialize(QueueDefinition.From(options.Queue(q.Name)), Json), JsonSerializer.Serialize(q, Json), $"{row.Reason} (version {versionId})")).ToList();
            var written = await WriteVersionAsync(row, audits, ct);
            return written is null ? preview : ReviewResult<QueueRestorePreview>.Fail(ReviewError.Stale, written);
        }
        finally { _lock.Release(); }
    }

    private async Task<QueueVersionRow> VersionAsync(long id, CancellationToken ct)
    {
        await using var db = dbs.Create();
        return await db.Set<QueueVersionRow>().AsNoTracking().FirstAsync(r => r.Id == id, ct);
    }

    /// <summary>What pointing the <paramref name="index"/>-th routing action of <paramref name="rule"/> at <paramref name="queue"/> would do.</summary>
    public async Task<ReviewResult<RouteChangePreview>> PreviewRouteAsync(string rule, int index, string queue, ReviewUser user, CancellationToken ct)
    {
        if (!MayRead(user)) return ReviewResult<RouteChangePreview>.Fail(ReviewError.Forbidden, $"Routing is managed by {ConsoleRoles.PolicyAdmin}; your roles are {ReviewQueueService.Roles(user)}.");
        var found = await FindRouteAsync(rule, index, ct);
        if (found.Error is { } error) return ReviewResult<RouteChangePreview>.Fail(ReviewError.Invalid, error);
        var (compiled, action) = (found.Rule!, found.Action!);
        queue = queue?.Trim() ?? "";
        if (!NamePattern().IsMatch(queue)) return ReviewResult<RouteChangePreview>.Fail(ReviewError.Invalid, $"queue: '{queue}' is not a queue name (lowercase letters, digits and '-', at most 40)");
        if (queue == action.Argument) return ReviewResult<RouteChangePreview>.Fail(ReviewError.Invalid, $"queue: rule '{rule}' already routes to '{queue}'");
        var target = (await QueuesAsync(ct)).FirstOrDefault(q => q.Name == queue);
        if (target is null) return ReviewResult<RouteChangePreview>.Fail(ReviewError.Invalid, $"queue: there is no queue '{queue}'; create it first");
        if (target.Retired) return ReviewResult<RouteChangePreview>.Fail(ReviewError.Invalid, $"queue: '{queue}' is retired");
        if (queue is ReviewQueues.Appeals or ReviewQueues.Qa or ReviewQueues.QaDisagreement)
            return ReviewResult<RouteChangePreview>.Fail(ReviewError.Invalid, $"queue: '{queue}' holds appeals or QA samples that Bulwark opens itself; rules cannot route there");
        await using var db = dbs.Create();
        var open = await db.Set<ReviewCaseRow>().AsNoTracking().Where(c => c.Status == ReviewCaseStatus.Open && c.Queue == action.Argument).CountAsync(ct);
        return ReviewResult<RouteChangePreview>.Success(new RouteChangePreview(rule, action.Argument!, queue, compiled.ModeName, open, true, found.RuleSet));
    }

    /// <summary>Rewrites the rule action's queue and activates the rule set (versioned and audited by the policy store); audited here with the reason.</summary>
    /// <remarks>
    /// The edited files come from the rule set in force as this process knows it, and are activated only if that rule set is
    /// still the one in force (<see cref="PolicyStore.ActivateAsync(IReadOnlyList{RuleFile}, string, string?, CancellationToken)"/>):
    /// a rule activation made meanwhile — from the rules API or another process — is never overwritten with stale files.
    /// <paramref name="previewedRuleSet"/>, when given, is the rule-set hash the user's preview was made on; a different rule
    /// set in force refuses the change so that the user sees the new preview.
    /// </remarks>
    public async Task<ReviewResult<RouteChangePreview>> SaveRouteAsync(string rule, int index, string queue, string? reason, ReviewUser user, CancellationToken ct,
        string? previewedRuleSet = null)
    {
        if (!MayManage(user)) return ReviewResult<RouteChangePreview>.Fail(ReviewError.Forbidden, $"Routing is changed by {ConsoleRoles.PolicyAdmin}; your roles are {ReviewQueueService.Roles(user)}.");
        if (Reason(reason) is { } bad) return ReviewResult<RouteChangePreview>.Fail(ReviewError.Invalid, bad);
        await _lock.WaitAsync(ct);
        try
        {
            var preview = await PreviewRouteAsync(rule, index, queue, user, ct);
            if (!preview.Ok) return preview;
            var rules = await policies.GetActiveRulesAsync(ct);
            if (previewedRuleSet is not null && previewedRuleSet != rules.Hash)
                return ReviewResult<RouteChangePreview>.Fail(ReviewError.Stale, $"the rules changed after the preview (rule set {rules.Hash}); nothing was activated: look at the new preview");
            var found = FindRoute(rules, rule, index);
            if (found.Error is { } gone) return ReviewResult<RouteChangePreview>.Fail(ReviewError.Invalid, gone);
            var at = found.Action!.At;
            var files = rules.Files.Select(f => f.Name != at.File ? f : f with { Text = Retarget(f.Text, at, preview.Value!.After) }).ToList();
            var activated = await policies.ActivateAsync(files, user.Name, rules.Hash, ct);
            if (!activated.Applied && activated.Before is not null && activated.Before != rules.Hash)
                return ReviewResult<RouteChangePreview>.Fail(ReviewError.Stale, string.Join("; ", activated.Errors) + "; nothing was activated");
            if (!activated.Applied) return ReviewResult<RouteChangePreview>.Fail(ReviewError.Invalid, "the rules would not compile: " + string.Join("; ", activated.Errors));
            await using var db = dbs.Create();
            await using var tx = await dbs.BeginWriteAsync(db, ct);
            await audit.AppendAsync(db, [new AuditRecord(user.Name, "review.route_changed", "rule:" + rule, preview.Value!.Before, preview.Value.After,
                $"{reason!.Trim()} (rule set {activated.After})")], ct);
            await tx.CommitAsync(ct);
            return preview;
        }
        finally { _lock.Release(); }
    }

    private async Task<(CompiledRule? Rule, RuleAction? Action, string? Error, string RuleSet)> FindRouteAsync(string rule, int index, CancellationToken ct)
    {
        var rules = await policies.GetActiveRulesAsync(ct);
        var (compiled, action, error) = FindRoute(rules, rule, index);
        return (compiled, action, error, rules.Hash);
    }

    private static (CompiledRule? Rule, RuleAction? Action, string? Error) FindRoute(RuleSet rules, string rule, int index)
    {
        var compiled = rules.Rules.FirstOrDefault(r => r.Name == rule);
        if (compiled is null) return (null, null, $"rule: there is no rule '{rule}' in the rule set in force");
        var routes = compiled.Definition.Then.Where(Routes).ToList();
        if (index < 0 || index >= routes.Count) return (null, null, $"rule: '{rule}' has {routes.Count} routing action(s); there is no number {index + 1}");
        return (compiled, routes[index], null);
    }

    /// <summary>Replaces the quoted queue name that follows the action at <paramref name="at"/> (1-based line and column).</summary>
    internal static string Retarget(string text, SourcePos at, string queue)
    {
        int line = 1, col = 1, i = 0;
        while (i < text.Length && (line < at.Line || (line == at.Line && col < at.Column)))
        {
            if (text[i] == '\n') { line++; col = 1; } else col++;
            i++;
        }
        var open = text.IndexOf('"', i);
        var close = open < 0 ? -1 : text.IndexOf('"', open + 1);
        if (open < 0 || close < 0) throw new InvalidOperationException($"no quoted queue after {at}");
        return string.Concat(text.AsSpan(0, open + 1), queue, text.AsSpan(close));
    }

    private static string? Reason(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? "reason is required: say why the queue or routing changes"
        : reason.Length > MaxReason ? $"reason must be at most {MaxReason} characters (it has {reason.Length})" : null;

    private static IEnumerable<string> Validate(QueueDefinition q)
    {
        if (string.IsNullOrEmpty(q.Name) || !NamePattern().IsMatch(q.Name)) yield return $"name: '{q.Name}' is not a queue name (lowercase letters, digits and '-', at most 40, starting with a letter or digit)";
        if (q.DisplayName is { Length: > 80 }) yield return $"displayName must be at most 80 characters (it has {q.DisplayName.Length})";
        if (q.SlaMinutes is < 1 or > 100_000) yield return $"slaMinutes must be between 1 and 100000 (got {q.SlaMinutes})";
        if (q.Order is < 0 or > 10_000) yield return $"order must be between 0 and 10000 (got {q.Order})";
        if (q.Roles.Count == 0) yield return $"roles: at least one of {string.Join(", ", ConsoleRoles.Deciders)} must work the queue";
        foreach (var role in q.Roles.Where(r => !ConsoleRoles.Deciders.Contains(r)))
            yield return $"roles: '{role}' may not decide cases; use {string.Join(", ", ConsoleRoles.Deciders)}";
        foreach (var a in (q.AllowedActions ?? []).Where(a => !Actions.Contains(a)))
            yield return $"allowedActions: '{a}' is not an action a reviewer takes; use {string.Join(", ", Actions)}";
    }

    private static List<QueueFieldChange> Describe(QueueDefinition? before, QueueDefinition after)
    {
        var list = new List<QueueFieldChange>();
        void Add(string field, string? b, string a) { if (b != a) list.Add(new(field, b ?? "—", a)); }
        static string Roles(IReadOnlyList<string> r) => string.Join(", ", r.Order(StringComparer.Ordinal));
        static string ActionsOf(IReadOnlyList<string>? a) => a is null ? "*" : a.Count == 0 ? "-" : string.Join(", ", a.Order(StringComparer.Ordinal));
        Add("displayName", before is null ? null : before.DisplayName ?? "", after.DisplayName ?? "");
        Add("slaMinutes", before?.SlaMinutes.ToString(), after.SlaMinutes.ToString());
        Add("roles", before is null ? null : Roles(before.Roles), Roles(after.Roles));
        Add("order", before?.Order.ToString(), after.Order.ToString());
        Add("allowedActions", before is null ? null : ActionsOf(before.AllowedActions), ActionsOf(after.AllowedActions));
        Add("restrictOnEscalation", before?.RestrictOnEscalation.ToString().ToLowerInvariant(), after.RestrictOnEscalation.ToString().ToLowerInvariant());
        Add("retired", before?.Retired.ToString().ToLowerInvariant(), after.Retired.ToString().ToLowerInvariant());
        return list;
    }
}
