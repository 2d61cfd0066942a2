namespace Bulwark.Core.Signals.ViolentSpeech;

/// <summary>What a finding is: the speaker's own threat, a call on others to commit violence, praise of an attack, its
/// perpetrators or a designated group, support and recruitment for such a group, or instructions for carrying out an attack
/// (an imperative or advice + a method, weapon or way of choosing victims + a human target or crowded place).</summary>
public enum SpeechKind { Threat, Incitement, Glorification, Support, Instructions }

/// <summary>What lowered a finding's score, or what it is worth knowing about it.</summary>
[Flags]
public enum SpeechModifiers
{
    None = 0,
    /// <summary>Someone else's words: after a reporting verb ("he said he would…", "mi ha scritto") — score × 0.3.</summary>
    Reported = 1,
    /// <summary>Inside quotation marks while the text has words of its own — score × 0.3.</summary>
    Quoted = 2,
    /// <summary>The sentence is a question — score × 0.5.</summary>
    Question = 4,
    /// <summary>A game, sport, music or fiction context next to it ("headshot", "the final", "partita", "song") — score × 0.3.</summary>
    GameContext = 8,
    /// <summary>A joke marker next to it ("lol", "jk", "scherzo") — score × 0.5.</summary>
    Joking = 16,
    /// <summary>News, history or documentary context (glorification and support only) — score × 0.4.</summary>
    NewsContext = 32,
    /// <summary>A conditional ("if you…, I'll…", "se…, ti…") or a conditional mood ("I would", "ti ammazzerei").</summary>
    Conditional = 64,
}

/// <summary>
/// One finding of <see cref="ViolentSpeechAnalyser"/>. <see cref="Score"/> is in [0, 1] (composition in
/// docs/violent-speech.md); <see cref="Explanation"/> names each part that fired in the text's own words, e.g.
/// <c>first person present-for-future 'accoltello' + target 'il professore' + place 'davanti alla classe' + time 'Venerdì'</c>.
/// <see cref="Start"/> and <see cref="Length"/> locate the sentence in the original text.
/// </summary>
public sealed record SpeechFinding(
    SpeechKind Kind,
    double Score,
    string Explanation,
    string Cue,
    string? Target,
    string? Time,
    string? Place,
    SpeechModifiers Modifiers,
    string Language,
    int Start,
    int Length)
{
    /// <summary>A finding at or above this score is one the analyser stands behind ("fired"); below it, it is recorded for context only.</summary>
    public const double FiresAt = 0.5;

    public bool Fired => Score >= FiresAt;
}
