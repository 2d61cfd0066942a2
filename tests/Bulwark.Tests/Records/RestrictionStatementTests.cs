using Bulwark.Core.Actions;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Policy.Catalogue;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Records.StatementsOfReasons;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Bulwark.Tests.Appeals.EnforcementScenario;

namespace Bulwark.Tests.Records;

/// <summary>Restrictions produce statements of reasons: from the pipeline, from human confirmation, and ended by a reversal.</summary>
public class RestrictionStatementTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static RestrictionFacts Facts(IReadOnlyList<DecisionAction> actions, ContentEvent? e = null, DecisionPath path = DecisionPath.Pipeline, string? explanation = null) =>
        new(7, "bulwark-d7", "VE-GLORIFY", actions, e ?? new ContentEvent { Id = "c1", Kind = "video", Language = "it-IT", CreatedAt = Now.AddDays(-2), Account = new AccountRef { Id = "acct-1" } },
            explanation ?? "VE-GLORIFY: remove by rule(s) known-glorification. Evidence: hash.match distance 4. Shadow (not acted on): x would ban.",
            ["known-glorification"], path, Now.AddDays(-1), []);

    private static DecisionAction Act(string kind, Dictionary<string, string>? details = null) =>
        new(kind, kind.StartsWith("content.", StringComparison.Ordinal) ? "content" : "account", kind.StartsWith("content.", StringComparison.Ordinal) ? "c1" : "acct-1", "VE-GLORIFY", details);

    private static StatementOfReasons Built(SorInput input)
    {
        var result = SorBuilder.Build(input);
        Assert.True(result.Ok, string.Join("; ", result.Errors.Select(e => $"{e.Field} {e.Message}")));
        return result.Statement!;
    }

    [Fact]
    public void A_removal_with_a_ban_maps_to_the_database_vocabulary_from_the_catalogue()
    {
        var input = RestrictionStatements.InputFor(Facts([Act("content.remove"), Act("account.strike"), Act("account.ban")]), PolicyCatalogue.Default, Now, 7)!;
        var s = Built(input);

        Assert.Equal(["DECISION_VISIBILITY_CONTENT_REMOVED"], s.DecisionVisibility);
        Assert.Equal("DECISION_ACCOUNT_TERMINATED", s.DecisionAccount);
        Assert.Null(s.EndDateAccountRestriction);
        Assert.Equal("STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY", s.Category);
        Assert.Equal(["KEYWORD_TERRORIST_CONTENT"], s.CategorySpecification);
        Assert.Equal(("DECISION_GROUND_INCOMPATIBLE_CONTENT", "Yes"), (s.DecisionGround, s.IncompatibleContentIllegal));
        Assert.StartsWith("Community Guidelines, violent extremism policy VE-GLORIFY", s.IncompatibleContentGround);
        Assert.Equal(PolicyCatalogue.Default.Find("VE-GLORIFY")!.Explanation!.En, s.IncompatibleContentExplanation);
        Assert.Equal(("Yes", "AUTOMATED_DECISION_FULLY", "SOURCE_VOLUNTARY"), (s.AutomatedDetection, s.AutomatedDecision, s.SourceType));
        Assert.Equal(("2026-03-08", "2026-03-10", "IT"), (s.ContentDate, s.ApplicationDate, s.ContentLanguage));
        Assert.Equal(["CONTENT_TYPE_VIDEO"], s.ContentType);
        Assert.Equal(30, s.TerritorialScope!.Count); // the whole EEA
        // Facts from the structured fields: the policy by name and what was automated, never the rule, the evidence or what was not done.
        Assert.Equal("Our automated systems detected this video on our own initiative. Our automated systems found that it breaks our policy " +
            $"\"{PolicyCatalogue.Default.Find("VE-GLORIFY")!.Name!.En}\" and applied the decision without a person reviewing it first.", s.DecisionFacts);
        Assert.DoesNotContain("known-glorification", s.DecisionFacts);
        Assert.DoesNotContain("distance", s.DecisionFacts);
        Assert.DoesNotContain("Shadow", s.DecisionFacts);
        Assert.Equal("bulwark-d7", s.Puid);
    }

    [Fact]
    public void Regions_suspensions_features_and_notices_map_to_their_restrictions_and_sources()
    {
        var regional = RestrictionStatements.InputFor(Facts([Act("content.restrict_regions", new() { ["regions"] = "DE,EL,US" }), Act("content.label", new() { ["text"] = "x" })],
            new ContentEvent { Id = "c1", Kind = "text", Source = new EventSource { Type = "trusted_flagger", Reference = "T-1" } }), PolicyCatalogue.Default, Now, 7)!;
        var s = Built(regional);
        Assert.Equal(["DECISION_VISIBILITY_CONTENT_DISABLED", "DECISION_VISIBILITY_CONTENT_LABELLED"], s.DecisionVisibility);
        Assert.Equal(["DE", "GR"], s.TerritorialScope); // only where EU/EEA; Greece as GR
        Assert.Equal(("SOURCE_TRUSTED_FLAGGER", "No", "CONTENT_TYPE_TEXT"), (s.SourceType, s.AutomatedDetection, s.ContentType!.Single()));
        Assert.Null(s.SourceIdentity); // a ticket reference is not a name
        var named = Built(RestrictionStatements.InputFor(Facts([Act("content.remove")],
            new ContentEvent { Id = "c1", Kind = "text", Source = new EventSource { Type = "trusted_flagger", Reference = "T-1", Name = " Synthetic Hotline Association " } }), PolicyCatalogue.Default, Now, 7)!);
        Assert.Equal("Synthetic Hotline Association", named.SourceIdentity);
        // A user report's notifier is a private person: never identified, even when a name is sent.
        var reported = Built(RestrictionStatements.InputFor(Facts([Act("content.remove")],
            new ContentEvent { Id = "c1", Kind = "text", Source = new EventSource { Type = "user_report", Name = "Someone" } }), PolicyCatalogue.Default, Now, 7)!);
        Assert.Null(reported.SourceIdentity);

        var suspended = Built(RestrictionStatements.InputFor(Facts([Act("account.suspend", new() { ["days"] = "14" }), Act("account.restrict_feature", new() { ["feature"] = "live" })],
            new ContentEvent { Id = "c1", Kind = "image", Source = new EventSource { Type = "user_report" } }, DecisionPath.HumanConfirmation), PolicyCatalogue.Default, Now, 7)!);
        Assert.Equal(("DECISION_ACCOUNT_SUSPENDED", "2026-03-24", "DECISION_PROVISION_PARTIAL_SUSPENSION"), (suspended.DecisionAccount, suspended.EndDateAccountRestriction, suspended.DecisionProvision));
        Assert.Equal(("SOURCE_ARTICLE_16", "AUTOMATED_DECISION_PARTIALLY"), (suspended.SourceType, suspended.AutomatedDecision));
        Assert.Null(suspended.DecisionVisibility);

        // Strikes, warnings, labels alone and regions outside the EEA restrict nothing the statement could describe.
        Assert.Null(RestrictionStatements.InputFor(Facts([Act("account.strike"), Act("account.warn"), Act("content.label", new() { ["text"] = "news" })]), PolicyCatalogue.Default, Now, 7));
        Assert.Null(RestrictionStatements.InputFor(Facts([Act("content.restrict_regions", new() { ["regions"] = "US,GB" })]), PolicyCatalogue.Default, Now, 7));
    }

    [Fact]
    public async Task The_pipeline_records_a_valid_statement_for_a_removal_and_none_for_an_unrestricted_item()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        await UploadAsync(core, "i1", "acct-i", Instruction, "instruction clip");
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = "t1", Kind = "text", Text = "a harmless post" }, null, default);
        await RunOnceAsync(core);
        var decision = await DecisionOfAsync(core, "i1");

        var record = await core.Get<StatementOfReasonsService>().GetAsync($"bulwark-d{decision.Id}", default);
        Assert.NotNull(record);
        Assert.Empty(record.ValidationErrors);
        Assert.Equal(decision.Id, record.DecisionId);
        Assert.Equal(["DECISION_VISIBILITY_CONTENT_REMOVED"], record.Statement.DecisionVisibility);
        Assert.Equal("STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY", record.Statement.Category); // VE-INSTRUCT
        Assert.Contains("VE-INSTRUCT", record.Statement.IncompatibleContentGround);
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal(1, await db.Set<StatementRow>().CountAsync());
    }

    [Fact]
    public async Task Confirming_a_decision_the_pipeline_already_enforced_adds_no_second_removal_strike_or_statement()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        await UploadAsync(core, "i2", "acct-j", Instruction, "another instruction clip");
        await RunOnceAsync(core);
        var decision = await DecisionOfAsync(core, "i2");

        var confirmed = await Bulwark.Tests.Restrictions.Confirm.AsPersonAsync(core, decision.Id, null, "checked", "reviewer-1");
        Assert.True(confirmed.Applied, confirmed.Error);
        Assert.Empty(confirmed.Actions);
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal(1, await db.Set<ActionRow>().CountAsync(a => a.Kind == "content.remove"));
        Assert.Equal(1, await db.Set<Bulwark.Core.Policy.Enforcement.StrikeRow>().CountAsync());
        Assert.Equal(["bulwark-d" + decision.Id], await db.Set<StatementRow>().Select(r => r.Puid).ToListAsync());
        Assert.Equal("reviewer-1", (await db.Decisions.SingleAsync(d => d.Id == decision.Id)).ReviewedBy);
        // Confirmed once, even though the confirmation itself added nothing.
        Assert.Equal($"Decision {decision.Id} is already confirmed.", (await Bulwark.Tests.Restrictions.Confirm.AsPersonAsync(core, decision.Id, null, null, "reviewer-2")).Error);
    }

    [Fact]
    public async Task An_explanation_that_names_the_account_holder_never_reaches_the_statement()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        var e = new ContentEvent { Id = "c9", Kind = "video", Account = new AccountRef { Id = "acct-9", Handle = "@mario.rossi", DisplayName = "Mario Rossi" } };
        var decision = new Decision(Outcomes.Remove, null, "VE-DOI: remove by rule(s) doi-name. Evidence: caption names Mario Rossi as a member.", ["doi-name"], true)
        {
            Policy = "VE-DOI", Actions = [new DecisionAction("content.remove", "content", "c9", "VE-DOI")],
        };
        await core.Get<IngestService>().AcceptOneAsync(e, null, default);
        long id;
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            var version = await db.ContentVersions.SingleAsync();
            await using var tx = await core.Get<IBulwarkDbFactory>().BeginWriteAsync(db, default);
            await core.Get<Bulwark.Core.Actions.Restrictions.RestrictionWriter>().WritePipelineBatchAsync(db, [new(new PipelineContext(version.Id, "c9", 1, e), decision, version.Status)], default);
            await tx.CommitAsync(default);
            id = (await db.Decisions.SingleAsync()).Id;
        }
        var record = await core.Get<StatementOfReasonsService>().GetAsync($"bulwark-d{id}", default);
        Assert.NotNull(record);
        Assert.Empty(record.ValidationErrors);
        Assert.DoesNotContain("Rossi", record.Statement.DecisionFacts);
        Assert.DoesNotContain("doi-name", record.Statement.DecisionFacts);
        Assert.StartsWith("Our automated systems detected this video", record.Statement.DecisionFacts);
    }

    [Fact]
    public async Task A_human_confirmation_records_a_partially_automated_statement_and_names_the_confirmer()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        await core.Get<EnforcementService>().AddFindingAsync("acct-7", new NewFinding("partner", "Recruits for Synthetic Front", null, "entity-1"), "investigator", default);
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = "p1", Kind = "text", Text = "hello", Language = "en", Account = new AccountRef { Id = "acct-7" } }, null, default);
        await RunOnceAsync(core);
        var decision = await DecisionOfAsync(core, "p1");
        Assert.Null(await core.Get<StatementOfReasonsService>().GetAsync($"bulwark-d{decision.Id}", default)); // a review restricts nothing yet

        var confirmed = await Bulwark.Tests.Restrictions.Confirm.AsPersonAsync(core, decision.Id, "support", "checked", "reviewer-1");
        Assert.True(confirmed.Applied, confirmed.Error);

        var record = await core.Get<StatementOfReasonsService>().GetAsync(Bulwark.Core.Actions.Restrictions.RestrictionWriter.ConfirmedPuid(decision.Id), default);
        Assert.NotNull(record);
        Assert.Empty(record.ValidationErrors);
        var s = record.Statement;
        Assert.Equal(["DECISION_VISIBILITY_CONTENT_REMOVED"], s.DecisionVisibility);
        Assert.Equal("DECISION_ACCOUNT_TERMINATED", s.DecisionAccount);
        Assert.Equal(("AUTOMATED_DECISION_PARTIALLY", "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY", "EN"), (s.AutomatedDecision, s.Category, s.ContentLanguage));
        Assert.EndsWith("A reviewer, with the help of our automated systems, confirmed that it breaks our policy " +
            $"\"{PolicyCatalogue.Default.Find("VE-DOI")!.Name!.En}\".", s.DecisionFacts);
        Assert.DoesNotContain("entity-1", s.DecisionFacts);
        Assert.DoesNotContain("Recruits", s.DecisionFacts);
        var after = await DecisionOfAsync(core, "p1");
        Assert.Equal(("reviewer-1", false), (after.ReviewedBy, after.Automated));

        // The confirmer may not decide the appeal against the confirmed decision.
        var appeal = await core.Get<AppealService>().SubmitAsync(new NewAppeal(decision.Id, null, "I disagree"), "platform", default);
        var refused = await core.Get<AppealService>().DecideAsync(appeal.Appeal!.Id, new AppealDecisionRequest(AppealOutcome.Reversed, "restored", "reviewer-1"), "reviewer-1", default);
        Assert.Equal(AppealError.DeciderConflict, refused.Error);
    }

    [Fact]
    public async Task A_reversal_ends_the_restrictions_of_a_pending_statement_and_is_reported()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        await UploadAsync(core, "i1", "acct-i", Instruction, "instruction clip");
        await RunOnceAsync(core);
        var decision = await DecisionOfAsync(core, "i1");
        var puid = $"bulwark-d{decision.Id}";
        Assert.Null((await core.Get<StatementOfReasonsService>().GetAsync(puid, default))!.Statement.EndDateVisibilityRestriction);

        core.Clock.Advance(TimeSpan.FromDays(3));
        var appeals = core.Get<AppealService>();
        var appeal = await appeals.SubmitAsync(new NewAppeal(decision.Id, null, "chemistry lesson"), "platform", default);
        var decided = await appeals.DecideAsync(appeal.Appeal!.Id, new AppealDecisionRequest(AppealOutcome.Reversed, "educational", "reviewer-2"), "reviewer-2", default);
        Assert.True(decided.Error == AppealError.None, decided.Message);

        var record = await core.Get<StatementOfReasonsService>().GetAsync(puid, default);
        var ended = DateOnly.FromDateTime(core.Clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd");
        Assert.Equal(ended, record!.Statement.EndDateVisibilityRestriction);
        Assert.Equal(core.Clock.GetUtcNow(), record.DecisionReversedAt);
        Assert.Empty(record.ValidationErrors);
    }
}
