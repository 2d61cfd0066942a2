using Bulwark.Core.Actions;
using Bulwark.Core.Actions.Restrictions;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Records.StatementsOfReasons;
using Bulwark.Core.Signals.Entities;
using Bulwark.Core.Storage;

namespace Bulwark.Core.Reports.Research;

/// <summary>Row shapes the datasets read (EF projections; never stored).</summary>
public sealed class DecisionView
{
    public long Id { get; set; }
    public string ContentId { get; set; } = "";
    public string? AccountId { get; set; }
    public string Kind { get; set; } = "";
    public string? Region { get; set; }
    public string? Language { get; set; }
    public string Outcome { get; set; } = "";
    public string? Policy { get; set; }
    public bool Automated { get; set; }
    public bool Reversed { get; set; }
    public bool HasStatement { get; set; }
    public DateTimeOffset DecidedAt { get; set; }
}

public sealed class EnforcementView
{
    public long Id { get; set; }
    public string Outcome { get; set; } = "";
    public string? Policy { get; set; }
    public bool Automated { get; set; }
    public bool Reversed { get; set; }
    public string? Queue { get; set; }
    public DateTimeOffset DecidedAt { get; set; }
}

public sealed class BankEntryView
{
    public long Id { get; set; }
    public string Bank { get; set; } = "";
    public string SignalType { get; set; } = "";
    public bool Enabled { get; set; }
    public bool Safe { get; set; }
}

/// <summary>
/// The data catalogue (DSA Art. 40; Delegated Regulation (EU) 2025/2050): every dataset and field the researcher API serves.
/// The API, <c>GET /research/v1/catalogue</c> and the codebook (docs/research-codebook.md) all read these definitions.
/// Every dataset's source applies the privacy rules: public content by adult accounts only, nothing deleted, removed or objected to.
/// </summary>
public static class ResearchCatalogue
{
    public const string Version = "1.1";

    /// <summary>Content the API may describe: marked public by an account marked adult, not deleted, not objected to.</summary>
    public static IQueryable<ResearchContentRow> Visible(BulwarkDbContext db) =>
        db.Set<ResearchContentRow>().Where(c => c.IsPublic && c.IsAdult
            && !db.Set<UpstreamDeletionRow>().Any(d => d.ContentId == c.ContentId)
            && !db.Set<ResearchObjectionRow>().Any(o => o.ContentId == c.ContentId || (c.AccountId != null && o.AccountId == c.AccountId)));

    /// <summary>
    /// Removals and restrictions (hidden pending review) sent for content and not followed by a restore: the measures that
    /// stand, whatever the decision's outcome says. A removal order or a reviewer's removal adds its measure to the decision
    /// the pipeline took (often <c>no_action</c> or <c>review</c>) without changing its outcome, and an appeal or a scrutiny
    /// that reinstates the content sends <c>content.restore</c> (measures that stand for other reasons are sent again after it).
    /// </summary>
    private static IQueryable<ActionRow> TakenDown(BulwarkDbContext db) =>
        db.Set<ActionRow>().Where(a => a.TargetType == "content" && (a.Kind == Measures.ContentRemove || a.Kind == Measures.ContentRestrict)
            && !db.Set<ActionRow>().Any(r => r.TargetType == "content" && r.TargetId == a.TargetId && r.Kind == Measures.ContentRestore && r.Id > a.Id));

    private static int Day(DateOnly d) => d.Year * 10000 + d.Month * 100 + d.Day;
    private static DateTimeOffset From(DateOnly d) => new(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public static readonly ResearchDataset<ResearchContentRow> Content = new()
    {
        Name = "content", Title = "Public content",
        Description = "Posts, videos, comments and profiles the platform marked public, by accounts it marked adult, that are still up (not deleted, not removed or hidden by moderation or an authority's order, no objection). Text only: media files are never served.",
        Modality = "query", Sensitivity = Sensitivity.Public, DateField = "create_date",
        Changelog =
        [
            new("1.0", "Introduced."),
            new("1.1", "Content removed or hidden by a reviewer or by an authority's removal order is left out too, not only content whose decision's outcome is remove; a restore brings it back."),
        ],
        Source = db => Visible(db).Where(c => !db.Decisions.Any(d => d.ContentId == c.ContentId && d.Outcome == Outcomes.Remove && d.ReversedAt == null)
            && !TakenDown(db).Any(a => a.TargetId == c.ContentId)),
        Key = c => c.Id,
        Window = w => c => c.CreatedDay >= Day(w.Start) && c.CreatedDay <= Day(w.End),
        Order = c => c.CreatedDay,
        TypedFields =
        [
            new() { Name = "id", Type = FieldType.String, Sensitivity = Sensitivity.Pseudonymised, Description = "The item's id, pseudonymised for the project.", Read = (c, x) => x.Pseudonyms.Id("content", c.ContentId) },
            new() { Name = "account_id", Type = FieldType.String, Sensitivity = Sensitivity.Pseudonymised, Description = "The author's account id, pseudonymised for the project.", Read = (c, x) => c.AccountId is null ? null : x.Pseudonyms.Id("account", c.AccountId) },
            new() { Name = "kind", Type = FieldType.String, Sensitivity = Sensitivity.Public, Description = "video, image, text, comment, profile, livestream or link.", Operations = Operations.Equality, Groupable = true, Column = (ResearchContentRow c) => c.Kind, Read = (c, _) => c.Kind },
            new() { Name = "region_code", Type = FieldType.String, Sensitivity = Sensitivity.Public, Description = "ISO 3166-1 alpha-2 region the platform gave the item, when it gave one.", Operations = Operations.Equality, Groupable = true, Column = (ResearchContentRow c) => c.Region, Read = (c, _) => c.Region },
            new() { Name = "language", Type = FieldType.String, Sensitivity = Sensitivity.Public, Description = "BCP 47 language tag the platform gave the item.", Operations = Operations.Equality, Groupable = true, Column = (ResearchContentRow c) => c.Language, Read = (c, _) => c.Language },
            new() { Name = "create_date", Type = FieldType.Date, Sensitivity = Sensitivity.Public, Description = "UTC day the item was created (YYYYMMDD); the date window applies to it.", Operations = Operations.All, Column = (ResearchContentRow c) => c.CreatedDay, Read = (c, _) => c.CreatedDay.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            new() { Name = "create_month", Type = FieldType.Integer, Sensitivity = Sensitivity.Public, Description = "UTC month the item was created (YYYYMM), for grouping.", Returned = false, Groupable = true, Column = (ResearchContentRow c) => c.CreatedDay / 100 },
            new() { Name = "create_time", Type = FieldType.Timestamp, Sensitivity = Sensitivity.Public, Description = "When the item was created, in Unix seconds.", Read = (c, _) => c.CreatedAt.ToUnixTimeSeconds() },
            new() { Name = "text", Type = FieldType.String, Sensitivity = Sensitivity.Public, Description = "The caption or text as published (at most 5,000 characters).", Read = (c, _) => c.Text },
            new() { Name = "keyword", Type = FieldType.String, Sensitivity = Sensitivity.Public, Description = "Filter only: the text contains the value (case-insensitive).", Returned = false, Operations = Operations.Equality, Filter = FilterKind.Keyword, Column = (ResearchContentRow c) => c.Text },
            new() { Name = "hashtag_name", Type = FieldType.String, Sensitivity = Sensitivity.Public, Description = "Filter only: one of the item's hashtags is the value (without '#', case-insensitive).", Returned = false, Operations = Operations.Equality, Filter = FilterKind.Hashtag, Column = (ResearchContentRow c) => c.Hashtags },
            new() { Name = "hashtag_names", Type = FieldType.StringList, Sensitivity = Sensitivity.Public, Description = "The item's hashtags, lower case, without '#'.", Read = (c, _) => c.Hashtags.Split('|', StringSplitOptions.RemoveEmptyEntries) },
            new() { Name = "view_count", Type = FieldType.Integer, Sensitivity = Sensitivity.Public, Description = "Views the platform reported with the item's latest version.", Operations = Operations.All, Column = (ResearchContentRow c) => c.ViewCount, Read = (c, _) => c.ViewCount },
        ],
    };

    public static readonly ResearchDataset<DecisionView> Decisions = new()
    {
        Name = "moderation_decisions", Title = "Moderation decisions and statements of reasons",
        Description = "Every decision taken on public content by adult accounts (kept after a removal: the decision, never the removed media), with whether a statement of reasons (DSA Art. 17) was issued and whether an appeal reversed it.",
        Modality = "query", Sensitivity = Sensitivity.Moderation, DateField = "decided_date",
        Source = db =>
            from d in db.Decisions
            join c in Visible(db) on d.ContentId equals c.ContentId
            select new DecisionView
            {
                Id = d.Id, ContentId = c.ContentId, AccountId = c.AccountId, Kind = c.Kind, Region = c.Region, Language = c.Language,
                Outcome = d.Outcome, Policy = d.Policy, Automated = d.Automated, Reversed = d.ReversedAt != null, DecidedAt = d.DecidedAt,
                HasStatement = db.Set<StatementRow>().Any(s => s.DecisionId == d.Id),
            },
        Key = d => d.Id,
        Window = w => d => d.DecidedAt >= From(w.Start) && d.DecidedAt < From(w.End.AddDays(1)),
        TypedFields =
        [
            new() { Name = "decision_id", Type = FieldType.String, Sensitivity = Sensitivity.Pseudonymised, Description = "The decision's id, pseudonymised for the project.", Read = (d, x) => x.Pseudonyms.Id("decision", d.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)) },
            new() { Name = "content_id", Type = FieldType.String, Sensitivity = Sensitivity.Pseudonymised, Description = "The content's id, pseudonymised for the project (the same pseudonym as in the content dataset).", Read = (d, x) => x.Pseudonyms.Id("content", d.ContentId) },
            new() { Name = "account_id", Type = FieldType.String, Sensitivity = Sensitivity.Pseudonymised, Description = "The author's account id, pseudonymised for the project.", Read = (d, x) => d.AccountId is null ? null : x.Pseudonyms.Id("account", d.AccountId) },
            new() { Name = "kind", Type = FieldType.String, Sensitivity = Sensitivity.Public, Description = "The content's kind.", Operations = Operations.Equality, Groupable = true, Column = (DecisionView d) => d.Kind, Read = (d, _) => d.Kind },
            new() { Name = "region_code", Type = FieldType.String, Sensitivity = Sensitivity.Public, Description = "The content's region code.", Operations = Operations.Equality, Groupable = true, Column = (DecisionView d) => d.Region, Read = (d, _) => d.Region },
            new() { Name = "language", Type = FieldType.String, Sensitivity = Sensitivity.Public, Description = "The content's language tag.", Operations = Operations.Equality, Groupable = true, Column = (DecisionView d) => d.Language, Read = (d, _) => d.Language },
            new() { Name = "outcome", Type = FieldType.String, Sensitivity = Sensitivity.Moderation, Description = "no_action, restrict, review, remove or escalate.", Operations = Operations.Equality, Groupable = true, Column = (DecisionView d) => d.Outcome, Read = (d, _) => d.Outcome },
            new() { Name = "policy", Type = FieldType.String, Sensitivity = Sensitivity.Moderation, Description = "The policy of the platform's catalogue the decision applied, if any.", Operations = Operations.Equality, Groupable = true, Column = (DecisionView d) => d.Policy, Read = (d, _) => d.Policy },
            new() { Name = "automated", Type = FieldType.Boolean, Sensitivity = Sensitivity.Moderation, Description = "Whether the decision was taken by automated means.", Operations = Operations.Equality, Groupable = true, Column = (DecisionView d) => d.Automated, Read = (d, _) => d.Automated },
            new() { Name = "reversed", Type = FieldType.Boolean, Sensitivity = Sensitivity.Moderation, Description = "Whether an appeal reversed the decision.", Operations = Operations.Equality, Groupable = true, Column = (DecisionView d) => d.Reversed, Read = (d, _) => d.Reversed },
            new() { Name = "has_statement", Type = FieldType.Boolean, Sensitivity = Sensitivity.Moderation, Description = "Whether a statement of reasons was issued for the decision.", Operations = Operations.Equality, Groupable = true, Column = (DecisionView d) => d.HasStatement, Read = (d, _) => d.HasStatement },
            new() { Name = "decided_date", Type = FieldType.Date, Sensitivity = Sensitivity.Moderation, Description = "UTC day of the decision (YYYYMMDD); the date window applies to it.", Read = (d, _) => d.DecidedAt.UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) },
        ],
    };

    public static readonly ResearchDataset<DesignatedEntityRow> Entities = new()
    {
        Name = "designated_entities", Title = "Designated-entity list",
        Description = "The organisations the platform treats as designated (approved entries only). Individuals and internal notes are never served.",
        Modality = "query", Sensitivity = Sensitivity.Public,
        Source = db => db.Set<DesignatedEntityRow>().Where(e => e.Status == EntityStatuses.Approved && e.Kind == EntityKinds.Organisation),
        Key = e => e.Id,
        TypedFields =
        [
            new() { Name = "entity_id", Type = FieldType.Integer, Sensitivity = Sensitivity.Public, Description = "The entry's id in the platform's registry.", Read = (e, _) => e.Id },
            new() { Name = "name", Type = FieldType.String, Sensitivity = Sensitivity.Public, Description = "The organisation's primary name.", Read = (e, _) => e.PrimaryName },
            new() { Name = "tier", Type = FieldType.String, Sensitivity = Sensitivity.Public, Description = "terrorist_organisation, violent_extremist_organisation or hateful_organisation.", Operations = Operations.Equality, Groupable = true, Column = (DesignatedEntityRow e) => e.Tier, Read = (e, _) => e.Tier },
            new() { Name = "ideology", Type = FieldType.String, Sensitivity = Sensitivity.Public, Description = "The ideology recorded for the entry, if any.", Operations = Operations.Equality, Groupable = true, Column = (DesignatedEntityRow e) => e.Ideology, Read = (e, _) => e.Ideology },
            new() { Name = "origin", Type = FieldType.String, Sensitivity = Sensitivity.Public, Description = "Which list it came from (un-sc, eu, a CSV source) or manual.", Operations = Operations.Equality, Groupable = true, Column = (DesignatedEntityRow e) => e.Origin, Read = (e, _) => e.Origin },
            new() { Name = "region_scope", Type = FieldType.String, Sensitivity = Sensitivity.Public, Description = "Comma-separated region codes the designation is relevant to; null = global.", Read = (e, _) => e.RegionScope },
        ],
    };

    public static readonly ResearchDataset<BankEntryView> HashBanks = new()
    {
        Name = "hash_bank_statistics", Title = "Hash-bank statistics",
        Description = "How many hashes each bank of known content holds, by signal type. Counts only: hashes are never served.",
        Modality = "aggregate", Sensitivity = Sensitivity.Aggregate,
        Source = db =>
            from e in db.BankEntries
            join b in db.Banks on e.BankId equals b.Id
            select new BankEntryView { Id = e.Id, Bank = b.Name, SignalType = e.SignalType, Enabled = e.Enabled && b.Enabled, Safe = b.Safe },
        Key = e => e.Id,
        TypedFields =
        [
            new() { Name = "bank", Type = FieldType.String, Sensitivity = Sensitivity.Aggregate, Description = "The bank's name.", Returned = false, Operations = Operations.Equality, Groupable = true, Column = (BankEntryView e) => e.Bank },
            new() { Name = "signal_type", Type = FieldType.String, Sensitivity = Sensitivity.Aggregate, Description = "sha256, md5, pdq, vpdq or url.", Returned = false, Operations = Operations.Equality, Groupable = true, Column = (BankEntryView e) => e.SignalType },
            new() { Name = "enabled", Type = FieldType.Boolean, Sensitivity = Sensitivity.Aggregate, Description = "Whether the entry and its bank are in use.", Returned = false, Operations = Operations.Equality, Groupable = true, Column = (BankEntryView e) => e.Enabled },
            new() { Name = "safe", Type = FieldType.Boolean, Sensitivity = Sensitivity.Aggregate, Description = "Whether the bank lists known-safe content (matches suppress others).", Returned = false, Operations = Operations.Equality, Groupable = true, Column = (BankEntryView e) => e.Safe },
        ],
    };

    public static readonly ResearchDataset<EnforcementView> Enforcement = new()
    {
        Name = "enforcement_figures", Title = "Aggregate enforcement figures",
        Description = "Counts of every decision the platform took (all content, public or not), by outcome, policy, automation and reversal. Aggregates only, with small cells suppressed.",
        Modality = "aggregate", Sensitivity = Sensitivity.Aggregate, DateField = "decided_date",
        Source = db => db.Decisions.Select(d => new EnforcementView
        {
            Id = d.Id, Outcome = d.Outcome, Policy = d.Policy, Automated = d.Automated, Reversed = d.ReversedAt != null, Queue = d.Queue, DecidedAt = d.DecidedAt,
        }),
        Key = d => d.Id,
        Window = w => d => d.DecidedAt >= From(w.Start) && d.DecidedAt < From(w.End.AddDays(1)),
        TypedFields =
        [
            new() { Name = "outcome", Type = FieldType.String, Sensitivity = Sensitivity.Aggregate, Description = "no_action, restrict, review, remove or escalate.", Returned = false, Operations = Operations.Equality, Groupable = true, Column = (EnforcementView d) => d.Outcome },
            new() { Name = "policy", Type = FieldType.String, Sensitivity = Sensitivity.Aggregate, Description = "The policy applied, if any.", Returned = false, Operations = Operations.Equality, Groupable = true, Column = (EnforcementView d) => d.Policy },
            new() { Name = "automated", Type = FieldType.Boolean, Sensitivity = Sensitivity.Aggregate, Description = "Whether the decision was automated.", Returned = false, Operations = Operations.Equality, Groupable = true, Column = (EnforcementView d) => d.Automated },
            new() { Name = "reversed", Type = FieldType.Boolean, Sensitivity = Sensitivity.Aggregate, Description = "Whether an appeal reversed it.", Returned = false, Operations = Operations.Equality, Groupable = true, Column = (EnforcementView d) => d.Reversed },
            new() { Name = "queue", Type = FieldType.String, Sensitivity = Sensitivity.Aggregate, Description = "The review queue it was sent to, if any.", Returned = false, Operations = Operations.Equality, Groupable = true, Column = (EnforcementView d) => d.Queue },
            new() { Name = "decided_date", Type = FieldType.Date, Sensitivity = Sensitivity.Aggregate, Description = "UTC day of the decision; the date window applies to it.", Returned = false },
        ],
    };

    public static readonly IReadOnlyList<ResearchDataset> All = [Content, Decisions, Entities, HashBanks, Enforcement];

    public static ResearchDataset? Find(string name) => All.FirstOrDefault(d => d.Name == name);
}
