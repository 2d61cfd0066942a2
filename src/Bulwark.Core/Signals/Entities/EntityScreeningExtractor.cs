using System.Globalization;
using Bulwark.Core.Pipeline;

namespace Bulwark.Core.Signals.Entities;

/// <summary>The signal types of designated-entity screening.</summary>
public static class EntitySignalTypes
{
    /// <summary>A name, alias, hashtag, slogan, symbol or emoji of an approved designated entity appears in a text of the item.</summary>
    public const string Mention = "entity.mention";
    /// <summary>A handle or display name scores at or above the name threshold against an approved entity's names.</summary>
    public const string NameMatch = "entity.name_match";
}

/// <summary>
/// Screens every text of an item (<see cref="PipelineTexts.Of"/>: caption or comment, hashtags, handle, display name, bio, OCR text)
/// against the approved registry: the text matcher on every field, the name matcher on the handle and display name. Each match is a
/// signal whose explanation names the entity, tier, list reference, the term, the normalisation steps and the score; its labels
/// carry <c>entity:ID</c>, <c>tier:TIER</c>, <c>field:FIELD</c>, <c>term:TYPE</c>, <c>grade:GRADE</c> (and <c>list:SOURCE:REF</c>)
/// so rules can read them. One signal per entity, field and type (the best).
/// </summary>
public sealed class EntityScreeningExtractor(EntityScreeningService screening) : ISignalExtractor
{
    public string Name => "entity-screening";

    public async ValueTask<StageResult> ExtractAsync(PipelineContext context, CancellationToken ct)
    {
        var texts = PipelineTexts.Of(context);
        if (texts.Count == 0) return StageResult.Success;
        try { await screening.EnsureLoadedAsync(ct); }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return StageResult.Transient($"entity screening index unavailable: {ex.Message}");
        }
        foreach (var (field, text) in texts)
        {
            ct.ThrowIfCancellationRequested();
            foreach (var m in screening.ScreenText(text).GroupBy(m => m.Entity.Id).Select(g => g.MaxBy(m => (m.Score, m.End - m.Start))!))
                context.Signals.Add(MentionSignal(field, m));
            if (field is "account.handle" or "account.displayName")
                foreach (var m in screening.ScreenName(text))
                    context.Signals.Add(NameSignal(field, m));
        }
        return StageResult.Success;
    }

    private Signal MentionSignal(string field, TextScreenMatch m)
    {
        var e = m.Entity;
        var how = m.Steps.Count == 0 ? "as written" : $"after undoing {string.Join(", ", m.Steps)}";
        var explanation = string.Create(CultureInfo.InvariantCulture,
            $"{field}[{m.Start}..{m.End}] \"{Clip(m.Matched)}\" is the {m.Grade} {m.TermType.Replace('_', ' ')} \"{Clip(m.Term)}\" of {Describe(e)}, matched {how} (normalised \"{Clip(m.Normalized)}\"){(m.Corroboration is null ? "" : $", corroborated by the {m.Corroboration}")}; score {m.Score:0.00}");
        return new Signal(EntitySignalTypes.Mention, Name, explanation, Value: m.Term, Score: m.Score, Labels: Labels(e, field, m.TermType, m.Grade));
    }

    private Signal NameSignal(string field, NameScreenMatch m)
    {
        var e = m.Entity;
        var tokens = string.Join(", ", m.Tokens.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.QueryToken}→{t.NameToken ?? "-"} {t.How} {t.Similarity:0.00}")));
        var steps = m.Steps.Count == 0 ? "" : $"; normalised by {string.Join(", ", m.Steps)}";
        var explanation = string.Create(CultureInfo.InvariantCulture,
            $"{field} resembles the name \"{Clip(m.MatchedName)}\" of {Describe(e)}: score {m.Score:0.00} ({tokens}){steps}");
        return new Signal(EntitySignalTypes.NameMatch, Name, explanation, Value: m.MatchedName, Score: m.Score, Labels: Labels(e, field, "name", null));
    }

    private static string Describe(ScreenedEntity e) =>
        $"designated {e.Kind} \"{e.Name}\" (entity {e.Id}, tier {e.Tier}{(e.ListSource is null ? "" : $", {e.ListSource} {e.ReferenceNumber}")})";

    private static List<string> Labels(ScreenedEntity e, string field, string termType, string? grade)
    {
        var labels = new List<string> { $"entity:{e.Id}", $"tier:{e.Tier}", $"field:{field}", $"term:{termType}" };
        if (grade is not null) labels.Add($"grade:{grade}");
        if (e.ListSource is not null) labels.Add($"list:{e.ListSource}:{e.ReferenceNumber}");
        return labels;
    }

    private static string Clip(string s) => s.Length > 120 ? s[..120] + "…" : s;
}
