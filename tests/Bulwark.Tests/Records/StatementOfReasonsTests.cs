using System.Text.Json;
using Bulwark.Core.Records.StatementsOfReasons;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Records;

public class StatementOfReasonsTests
{
    [Fact]
    public void The_builder_maps_a_restriction_to_the_database_schema()
    {
        var result = SorBuilder.Build(SorFixtures.Input() with
        {
            AccountRestriction = AccountRestriction.Suspended, AccountRestrictionEnds = new DateOnly(2026, 2, 14), BusinessAccount = false,
            TerritorialScope = ["it", "EL"],
        });
        Assert.True(result.Ok, string.Join("; ", result.Errors));
        var s = result.Statement!;
        Assert.Equal(["DECISION_VISIBILITY_CONTENT_REMOVED"], s.DecisionVisibility);
        Assert.Equal(("DECISION_ACCOUNT_SUSPENDED", "2026-02-14", "ACCOUNT_TYPE_PRIVATE"), (s.DecisionAccount, s.EndDateAccountRestriction, s.AccountType));
        Assert.Equal((SorVocabulary.GroundIncompatible, "Yes", null), (s.DecisionGround, s.IncompatibleContentIllegal, s.IllegalContentLegalGround));
        Assert.Equal(["CONTENT_TYPE_VIDEO"], s.ContentType);
        Assert.Equal(["GR", "IT"], s.TerritorialScope); // EL (the EU's code for Greece) is written GR
        Assert.Equal(("IT", "2026-01-10", "2026-01-15"), (s.ContentLanguage, s.ContentDate, s.ApplicationDate));
        Assert.Equal(("SOURCE_VOLUNTARY", "Yes", "AUTOMATED_DECISION_FULLY"), (s.SourceType, s.AutomatedDetection, s.AutomatedDecision));
        Assert.Null(s.EndDateVisibilityRestriction); // indefinite
    }

    [Fact]
    public void Eea_expands_to_the_thirty_states_and_eu_to_the_twenty_seven()
    {
        Assert.Equal(30, SorBuilder.Build(SorFixtures.Input()).Statement!.TerritorialScope!.Count);
        var eu = SorBuilder.Build(SorFixtures.Input() with { TerritorialScope = ["EU"] }).Statement!.TerritorialScope!;
        Assert.Equal(27, eu.Count);
        Assert.Contains("GR", eu);
        Assert.DoesNotContain("NO", eu);
    }

    [Fact]
    public void An_illegal_content_ground_fills_the_illegal_fields_only()
    {
        var s = SorBuilder.Build(SorFixtures.Input() with
        {
            Ground = DecisionGround.IllegalContent, GroundReference = "Regulation (EU) 2021/784, Art. 2(7)(c)", GroundExplanation = "Glorifies a terrorist offence.",
        }).Statement!;
        Assert.Equal((SorVocabulary.GroundIllegal, "Regulation (EU) 2021/784, Art. 2(7)(c)", "Glorifies a terrorist offence."), (s.DecisionGround, s.IllegalContentLegalGround, s.IllegalContentExplanation));
        Assert.Null(s.IncompatibleContentGround);
        Assert.Null(s.IncompatibleContentIllegal);
    }

    [Theory]
    [InlineData("Posted by demo_reuploader after a warning.", "decision_facts", "an identifier of the account holder")]
    [InlineData("Posted by Demo Re-uploader.", "decision_facts", "an identifier of the account holder")]
    [InlineData("The uploader (fictional.person@example.org) was warned.", "decision_facts", "an e-mail address")]
    [InlineData("Reply to @someone_else in the caption.", "decision_facts", "an @handle")]
    [InlineData("Call +39 06 1234 5678 to join.", "decision_facts", "a phone number")]
    public void Personal_data_in_free_text_is_refused(string facts, string field, string what)
    {
        var result = SorBuilder.Build(SorFixtures.Input() with { Facts = facts });
        Assert.False(result.Ok);
        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.Field);
        Assert.Contains(what, error.Message);
    }

    [Fact]
    public void Personal_data_is_refused_in_explanations_and_the_puid_and_dates_must_be_in_order()
    {
        var result = SorBuilder.Build(SorFixtures.Input("demo_reuploader-1") with
        {
            GroundExplanation = "demo_reuploader praised the attack.", ApplicationDate = new DateOnly(2026, 1, 9), VisibilityRestrictionEnds = new DateOnly(2026, 1, 1),
        });
        Assert.Equal(["application_date", "end_date_visibility_restriction", "incompatible_content_explanation", "puid"], result.Errors.Select(e => e.Field).Order());
        // Dates, plain numbers and the platform's own ids are not mistaken for phone numbers or handles.
        Assert.True(SorBuilder.Build(SorFixtures.Input() with { Facts = "Matched on 2026-01-15 at distance 12 against list entry 1234567 (bank demo-known)." }).Ok);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Record_commits_with_the_unit_of_work_once_per_puid(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var service = core.Get<StatementOfReasonsService>();
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            service.Record(db, SorFixtures.Input("p-1"));
            service.Record(db, SorFixtures.Input("p-1"));
            Assert.Throws<SorValidationException>(() => service.Record(db, SorFixtures.Input("p 2")));
            await db.SaveChangesAsync();
        }
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            var row = await db.Set<StatementRow>().SingleAsync();
            Assert.Equal(("p-1", SubmissionStatus.Pending, 1L), (row.Puid, row.SubmissionStatus, row.DecisionId));
            Assert.Equal(core.Clock.GetUtcNow(), row.CreatedAt);
        }
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            service.Record(db, SorFixtures.Input("p-1"));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }
        var e = Assert.Throws<SorValidationException>(() => service.Record(core.Get<IBulwarkDbFactory>().Create(), SorFixtures.Input() with { Facts = "" }));
        Assert.Contains("decision_facts is required", e.Message);
    }

    [Fact]
    public async Task Export_writes_at_most_100_per_file_and_reports_invalid_statements_instead_of_writing_them()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        var service = core.Get<StatementOfReasonsService>();
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            service.Record(db, SorFixtures.Input("old-1"));
            await db.SaveChangesAsync();
        }
        core.Clock.Advance(TimeSpan.FromDays(2));
        var since = core.Clock.GetUtcNow();
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            for (var i = 0; i < 250; i++) service.Record(db, SorFixtures.Input($"new-{i}"));
            // A row stored under older rules that the database would now refuse.
            db.Add(new StatementRow { Puid = "stale-1", Json = (SorFixtures.Valid with { Puid = "stale-1", TerritorialScope = ["EL"] }).ToJson(), CreatedAt = since });
            await db.SaveChangesAsync();
        }
        var dir = Path.Combine(core.Database.Directory, "export");

        var report = await service.ExportAsync(since, dir, default);

        Assert.Equal(250, report.Exported);
        Assert.Equal([100, 100, 50], report.Files.Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.GetProperty("statements").GetArrayLength()));
        Assert.Equal(["statements-0001.json", "statements-0002.json", "statements-0003.json"], report.Files.Select(Path.GetFileName));
        var invalid = Assert.Single(report.Invalid);
        Assert.Equal(("stale-1", "territorial_scope[0]"), (invalid.Puid, invalid.Errors[0].Field));
        var all = report.Files.SelectMany(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.GetProperty("statements").EnumerateArray().Select(s => s.GetProperty("puid").GetString())).ToList();
        Assert.Equal(Enumerable.Range(0, 250).Select(i => $"new-{i}"), all);
        var first = JsonDocument.Parse(File.ReadAllText(report.Files[0])).RootElement.GetProperty("statements")[0];
        Assert.Empty(SorValidator.Validate(first.Deserialize<StatementOfReasons>(StatementOfReasons.Json)!));
    }
}
