namespace Bulwark.Core.Signals.Classifiers;

/// <summary>
/// The text classifiers the pipeline runs, by model id. Each entry exposes its manifest: id, version, labels, languages,
/// the SHA-256 of its files and the calibration of each head. A second model with an id already registered is refused.
/// </summary>
public sealed class ClassifierRegistry
{
    private readonly Dictionary<string, ITextClassifier> _models = new(StringComparer.Ordinal);

    public IReadOnlyCollection<ITextClassifier> Models => _models.Values;

    public void Register(ITextClassifier model)
    {
        if (!_models.TryAdd(model.Manifest.Id, model))
            throw new InvalidOperationException($"A classifier with id '{model.Manifest.Id}' is already registered (version {_models[model.Manifest.Id].Manifest.Version}).");
    }

    public ITextClassifier? Find(string id) => _models.GetValueOrDefault(id);

    /// <summary>The registry the options describe: the shipped model (or the one in <see cref="ClassifierOptions.ModelPath"/>)
    /// and every operator-supplied ONNX model in <see cref="ClassifierOptions.OnnxModels"/>.</summary>
    public static ClassifierRegistry FromOptions(ClassifierOptions options)
    {
        var registry = new ClassifierRegistry();
        if (!options.Enabled) return registry;
        var model = options.ModelPath is { Length: > 0 } path ? LinearTextModel.Load(path) : LinearTextModel.LoadDefault();
        if (options.ExpectedSha256 is { Length: > 0 } pinned
            && !model.Manifest.Files.Values.Any(h => string.Equals(h, pinned, StringComparison.OrdinalIgnoreCase)))
            throw new ModelLoadException($"Model {model.Manifest.Id}@{model.Manifest.Version} does not have the pinned SHA-256 {pinned} (Bulwark:Classifiers:ExpectedSha256); its files hash to {string.Join(", ", model.Manifest.Files.Values)}.");
        registry.Register(model);
        for (var i = 0; i < options.OnnxModels.Count; i++)
            registry.Register(OnnxTextModel.Load(options.OnnxModels[i], $"{ClassifierOptions.Section}:OnnxModels:{i}"));
        return registry;
    }
}
