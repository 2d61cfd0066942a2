using Bulwark.Core.Signals;
using Bulwark.Core.Signals.Classifiers;

namespace Bulwark.Core.Policy.Rules;

/// <summary>
/// What rules may read: the signal types the pipeline produces and the fields each carries, plus the content and account
/// facts. Rules are type-checked against it when they load, so a misspelt signal or field is an error, not a silent false.
/// </summary>
public sealed class SignalSchema
{
    public const string Score = "score", Distance = "distance", Bank = "bank", Value = "value", Source = "source", HashType = "hash_type", Label = "label";

    /// <summary>Signal types added by the designated-entity screener; labels carry <c>entity:&lt;id&gt;</c> and <c>tier:&lt;tier&gt;</c>.</summary>
    public const string EntityMention = "entity.mention";
    public const string EntityNameMatch = "entity.name_match";

    private static readonly Dictionary<string, RuleType> FieldTypes = new()
    {
        [Score] = RuleType.Number, [Distance] = RuleType.Number, [Bank] = RuleType.String, [Value] = RuleType.String,
        [Source] = RuleType.String, [HashType] = RuleType.String,
    };

    public static readonly IReadOnlyDictionary<string, RuleType> ContentFields = new Dictionary<string, RuleType>
    {
        ["kind"] = RuleType.String, ["language"] = RuleType.String, ["region"] = RuleType.String, ["source"] = RuleType.String, ["views"] = RuleType.Number,
    };

    /// <summary>Account state: active strike weight (all policies, and the rule's own policy), off-platform findings.</summary>
    public static readonly IReadOnlyDictionary<string, RuleType> AccountFields = new Dictionary<string, RuleType>
    {
        ["known"] = RuleType.Bool, ["strikes"] = RuleType.Number, ["policy_strikes"] = RuleType.Number,
        ["findings"] = RuleType.Number, ["linked_findings"] = RuleType.Number,
    };

    /// <summary>Account fields that come from off-platform findings: a ban or suspension on them needs a human.</summary>
    public static readonly IReadOnlySet<string> OffPlatformFields = new HashSet<string> { "findings", "linked_findings" };

    /// <summary>Signals that suggest who is behind an account rather than what the content is: like off-platform findings, a ban or suspension on them needs a human.</summary>
    public static readonly IReadOnlySet<string> HumanOnlySignals = new HashSet<string> { Signals.Accounts.BanEvasionExtractor.SignalType };

    private readonly Dictionary<string, HashSet<string>> _types;

    public SignalSchema(IReadOnlyDictionary<string, IReadOnlyList<string>> types) =>
        _types = types.ToDictionary(t => t.Key, t => t.Value.ToHashSet(), StringComparer.Ordinal);

    public IEnumerable<string> SignalTypeNames => _types.Keys.Order(StringComparer.Ordinal);

    public bool HasType(string type) => _types.ContainsKey(type);

    public IReadOnlyCollection<string> FieldsOf(string type) => _types[type];

    public static RuleType? TypeOfField(string field) => FieldTypes.TryGetValue(field, out var t) ? t : null;

    /// <summary>The signals Bulwark's extractors produce today, and the entity signals of the designated-entity screener.</summary>
    public static SignalSchema Default { get; } = new(new Dictionary<string, IReadOnlyList<string>>
    {
        [SignalTypes.HashMatch] = [Distance, Bank, Value, Source, HashType, Label],
        [SignalTypes.SafeMatch] = [Distance, Bank, Value, Source, HashType, Label],
        [SignalTypes.MediaHashes] = [Value, Source],
        [SignalTypes.MediaUnavailable] = [Value, Source, Label],
        [SignalTypes.MediaPerceptual] = [Value, Source, Score],
        [SignalTypes.MediaUnhashable] = [Value, Source],
        [SignalTypes.Url] = [Value, Source],
        [SignalTypes.OcrText] = [Value, Source, Label],
        [ClassifierSignalTypes.For(ClassifierLabels.Threat)] = [Score, Value, Source, Label],
        [ClassifierSignalTypes.For(ClassifierLabels.Glorification)] = [Score, Value, Source, Label],
        [ClassifierSignalTypes.For(ClassifierLabels.Hate)] = [Score, Value, Source, Label],
        [EntityMention] = [Score, Value, Source, Label],
        [EntityNameMatch] = [Score, Value, Source, Label],
        [TimePlaceExtractor.SignalType] = [Value, Source, Label],
        [Signals.ViolentSpeech.ViolentSpeechSignalTypes.Threat] = [Score, Value, Source, Label],
        [Signals.ViolentSpeech.ViolentSpeechSignalTypes.Incitement] = [Score, Value, Source, Label],
        [Signals.ViolentSpeech.ViolentSpeechSignalTypes.Glorification] = [Score, Value, Source, Label],
        [Signals.ViolentSpeech.ViolentSpeechSignalTypes.Support] = [Score, Value, Source, Label],
        [Signals.ViolentSpeech.ViolentSpeechSignalTypes.Instructions] = [Score, Value, Source, Label],
        [Signals.Semantic.SemanticSignalTypes.Violent] = [Score, Value, Source, Label],
        [Signals.Accounts.BanEvasionExtractor.SignalType] = [Score, Value, Source, Label],
        [Signals.Notices.NoticeSignalTypes.Received] = [Value, Source, Label],
        [Signals.Exchange.ExchangeSignalTypes.Held] = [Distance, Bank, Value, Source, HashType, Label],
        [Signals.Exchange.ExchangeSignalTypes.Alert] = [Value, Source, Label],
    });
}
