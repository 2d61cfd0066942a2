using Bulwark.Core;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy;
using Bulwark.Core.Policy.Catalogue;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Policy.Rules;
using Bulwark.Core.Signals;
using Bulwark.Core.Signals.ViolentSpeech;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.ViolentSpeech;

/// <summary>The violent-speech signal extractor: fields, labels, the time/place signal, registration, rules and the pipeline.</summary>
public class ExtractorTests
{
    private static async Task<PipelineContext> Run(ContentEvent e, ViolentSpeechOptions? options = null)
    {
        var context = new PipelineContext(1, e.Id ?? "c1", 1, e);
        var result = await new ViolentSpeechExtractor(options ?? new ViolentSpeechOptions()).ExtractAsync(context, default);
        Assert.True(result.Ok);
        return context;
    }

    [Fact]
    public async Task An_italian_threat_with_time_and_place_gives_a_threat_signal_and_the_time_place_signals()
    {
        var ctx = await Run(new ContentEvent { Id = "c1", Kind = "comment", Text = "Venerdì accoltello il professore davanti alla classe.", Language = "it-IT" });
        var threat = Assert.Single(ctx.Signals, s => s.Type == ViolentSpeechSignalTypes.Threat);
        Assert.Equal(1.0, threat.Score);
        Assert.Equal("comment", threat.Value);
        Assert.Equal("violent-speech", threat.Source);
        Assert.Equal(["field:comment", "lang:it", "fired", "time", "place"], threat.Labels);
        Assert.Equal("comment: threat 1.00 by the violent-speech analyser: first person present-for-future 'accoltello' + target 'il professore' + place 'davanti alla classe' + time 'Venerdì'", threat.Explanation);
        var tp = ctx.Signals.Where(s => s.Type == TimePlaceExtractor.SignalType).ToList();
        Assert.Equal(["Venerdì", "davanti alla classe"], tp.Select(s => s.Value));
        Assert.Equal([["time", "field:comment"], ["place", "field:comment"]], tp.Select(s => s.Labels!.ToArray()));
    }

    [Fact]
    public async Task Each_kind_is_its_own_signal_and_support_says_which()
    {
        var ctx = await Run(new ContentEvent
        {
            Id = "c2", Kind = "video", Language = "en",
            Text = "Death to the infidels. The brother who attacked the church is a martyr. Join the caliphate.",
        });
        Assert.Contains(ctx.Signals, s => s.Type == ViolentSpeechSignalTypes.Incitement && s.Labels!.Contains("fired"));
        Assert.Contains(ctx.Signals, s => s.Type == ViolentSpeechSignalTypes.Glorification && s.Labels!.Contains("fired"));
        var support = Assert.Single(ctx.Signals, s => s.Type == ViolentSpeechSignalTypes.Support);
        Assert.Contains("recruitment", support.Labels!);
        Assert.DoesNotContain(ctx.Signals, s => s.Type == TimePlaceExtractor.SignalType);
    }

    [Fact]
    public async Task The_handle_is_never_read_the_display_name_only_for_glorification_and_quiet_text_gives_nothing()
    {
        var ctx = await Run(new ContentEvent
        {
            Id = "c3", Kind = "comment", Text = "wow nice", Language = "en",
            Account = new AccountRef { Id = "a", Handle = "user4", DisplayName = "I will kill you tomorrow", Bio = "" },
        });
        Assert.Empty(ctx.Signals);
        var named = await Run(new ContentEvent
        {
            Id = "c4", Kind = "comment", Text = "ok",
            Account = new AccountRef { Id = "a", Handle = "killthemall", DisplayName = "Glory to the martyrs of the caliphate", Bio = "Tomorrow I will shoot the teacher at the school." },
        });
        Assert.Contains(named.Signals, s => s.Type == ViolentSpeechSignalTypes.Glorification && s.Value == "account.displayName");
        Assert.Contains(named.Signals, s => s.Type == ViolentSpeechSignalTypes.Threat && s.Value == "account.bio");
        Assert.DoesNotContain(named.Signals, s => s.Value == "account.handle");
    }

    [Fact]
    public async Task Reported_threats_are_recorded_below_the_threshold_only_when_asked()
    {
        const string text = "He told me \"I will stab you tomorrow\" and I called the police.";
        Assert.Empty((await Run(new ContentEvent { Id = "c5", Kind = "comment", Text = text })).Signals);
        var all = await Run(new ContentEvent { Id = "c5", Kind = "comment", Text = text }, new ViolentSpeechOptions { MinRecordedScore = 0.05 });
        var s = Assert.Single(all.Signals, x => x.Type == ViolentSpeechSignalTypes.Threat);
        Assert.Contains("below-threshold", s.Labels!);
        Assert.True(s.Labels!.Contains("reported") || s.Labels!.Contains("quoted"));
        Assert.DoesNotContain(all.Signals, x => x.Type == TimePlaceExtractor.SignalType); // only a fired threat names a time for the threat-to-life rule
    }

    [Fact]
    public async Task A_long_field_is_cut_at_max_chars_and_says_so()
    {
        var text = "I will stab you tomorrow. " + new string('a', 200);
        var ctx = await Run(new ContentEvent { Id = "c6", Kind = "comment", Text = text }, new ViolentSpeechOptions { MaxChars = 100 });
        Assert.Contains("truncated", Assert.Single(ctx.Signals, s => s.Type == ViolentSpeechSignalTypes.Threat).Labels!);
    }

    [Fact]
    public void The_extractor_is_registered_and_its_options_are_validated_at_start_up()
    {
        var services = new ServiceCollection();
        services.AddBulwarkViolentSpeech(new ConfigurationBuilder().Build());
        using var sp = services.BuildServiceProvider();
        Assert.Contains(sp.GetServices<ISignalExtractor>(), e => e is ViolentSpeechExtractor);

        var bad = new ServiceCollection();
        bad.AddBulwarkViolentSpeech(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Bulwark:ViolentSpeech:MinRecordedScore"] = "2" }).Build());
        using var badSp = bad.BuildServiceProvider();
        var ex = Assert.ThrowsAny<Microsoft.Extensions.Options.OptionsValidationException>(() => badSp.GetRequiredService<ViolentSpeechOptions>());
        Assert.Contains("MinRecordedScore", ex.Message);
    }

    [Fact]
    public async Task A_rule_can_read_the_scores_and_labels_and_its_explanation_names_the_analyser()
    {
        const string rules = """
            rule speech-threat-to-life enforce {
              policy VE-THREAT
              when max speech.threat.score >= 0.9 and any speech.threat[label "time" or label "place"]
              then escalate "threat-to-life" priority high
              explain "An explicit threat with a time or a place"
            }

            rule speech-incitement enforce {
              policy VE-THREAT
              when max speech.incitement.score >= 0.8
              then review "threat"
              explain "A call to violence"
            }

            rule speech-glorification enforce {
              policy VE-GLORIFY
              when max speech.glorification.score >= 0.8 or any speech.support[label "recruitment" and score >= 0.8]
              then review "glorification"
              explain "Praise of an attack or recruitment"
            }
            """;
        var set = RuleSet.Load([new RuleFile("speech.rules", rules)], PolicyCatalogue.Default, SignalSchema.Default, out var errors);
        Assert.Empty(errors);
        Decision Decide(string text)
        {
            var ctx = Run(new ContentEvent { Id = "r", Kind = "comment", Text = text }).GetAwaiter().GetResult();
            var input = new RuleInput(ctx.Signals, "comment", "it", "IT", "upload", 0, AccountFacts.None);
            var hits = new List<RuleHit>();
            set!.Evaluate(input, hits);
            return DecisionBuilder.Build(set, hits, input, "r", "acct", new EnforcementOptions());
        }
        var d = Decide("Venerdì accoltello il professore davanti alla classe.");
        Assert.Equal((Outcomes.Escalate, "threat-to-life"), (d.Outcome, d.Queue));
        Assert.Contains(Assert.Single(d.Fired).Inputs, i => i.Contains("first person present-for-future 'accoltello'", StringComparison.Ordinal));
        Assert.Equal((Outcomes.Review, "threat"), (Decide("Fratelli, sgozzate gli infedeli ovunque li troviate.").Outcome, Decide("Fratelli, sgozzate gli infedeli ovunque li troviate.").Queue));
        Assert.Equal(Outcomes.Review, Decide("Unisciti ai fratelli del califfato.").Outcome);
        Assert.Equal(Outcomes.NoAction, Decide("Mia madre mi ammazza se faccio tardi.").Outcome);
    }

    [Fact]
    public async Task Through_the_pipeline_the_signals_are_stored_with_the_decision()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent
        {
            Id = "p1", Kind = "comment", Language = "en", Account = new AccountRef { Id = "acct-9" },
            Text = "Next Friday I will blow myself up at the train station.",
        }, new Dictionary<string, StoredMedia>(), default);
        var queue = core.Get<IWorkQueue>();
        var outcome = await core.Get<PipelineProcessor>().ProcessAsync(await queue.ClaimAsync("t", 10, default), default);
        await queue.CompleteAsync(outcome.Completed, default);
        Assert.Single(outcome.Completed);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var signals = await db.Signals.AsNoTracking().ToListAsync();
        var threat = Assert.Single(signals, s => s.Type == ViolentSpeechSignalTypes.Threat);
        Assert.True(threat.Score >= 0.9);
        Assert.Contains("(suicide attack) + place 'at the train station' + time 'Next Friday'", threat.Explanation);
        Assert.Contains(signals, s => s.Type == TimePlaceExtractor.SignalType && s.Source == "violent-speech" && s.Value == "Next Friday");
    }
}
