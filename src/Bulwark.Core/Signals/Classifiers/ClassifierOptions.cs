using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Bulwark.Core.Pipeline;

namespace Bulwark.Core.Signals.Classifiers;

/// <summary>Bound from <c>Bulwark:Classifiers</c>.</summary>
public sealed class ClassifierOptions
{
    public const string Section = "Bulwark:Classifiers";

    public bool Enabled { get; set; } = true;

    /// <summary>A model folder (model.json + weights.bin); empty: the model shipped with Bulwark.</summary>
    public string? ModelPath { get; set; }

    /// <summary>When set, the model's weights must have this SHA-256 or start-up stops.</summary>
    [RegularExpression("^[0-9a-fA-F]{64}$")]
    public string? ExpectedSha256 { get; set; }

    /// <summary>Scores below this are not recorded as signals (a head that fires is always recorded).</summary>
    [Range(0.0, 1.0)]
    public double MinRecordedScore { get; set; } = 0.2;

    /// <summary>Operator-supplied transformer models (ONNX), each pinned by the SHA-256 of its files; scored beside the built-in model.</summary>
    public List<OnnxModelOptions> OnnxModels { get; set; } = [];

    // Since model 1.4.0 there is no length cut-off (MaxChars): every text is scored whole, window by window (TextWindows).
}

public static class ClassifierRegistration
{
    /// <summary>The classifier registry (model loaded and its hash checked at start-up) and its signal extractor.</summary>
    public static IServiceCollection AddBulwarkClassifiers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClassifierOptions>().Bind(configuration.GetSection(ClassifierOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ClassifierOptions>>().Value);
        services.AddSingleton(sp => ClassifierRegistry.FromOptions(sp.GetRequiredService<ClassifierOptions>()));
        services.AddSingleton<ISignalExtractor, TextClassifierExtractor>();
        return services;
    }
}
