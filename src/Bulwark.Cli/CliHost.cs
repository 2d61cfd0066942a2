using Bulwark.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bulwark.Cli;

/// <summary>
/// Builds the same services the server uses, from the same configuration: the server's appsettings.json, an optional
/// <c>--config FILE</c>, then environment variables (<c>Bulwark__Database__Provider</c>, <c>ConnectionStrings__Bulwark</c>, …).
/// </summary>
public static class CliHost
{
    public static ServiceProvider Build(string? configFile)
    {
        var configuration = Configuration(configFile);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(l => l.AddConfiguration(configuration.GetSection("Logging")).SetMinimumLevel(LogLevel.Warning));
        services.AddBulwarkCore(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    /// <summary>The classifier settings alone, for commands that need no database.</summary>
    public static Bulwark.Core.Signals.Classifiers.ClassifierOptions ClassifierOptions(string? configFile)
    {
        var options = new Bulwark.Core.Signals.Classifiers.ClassifierOptions();
        Configuration(configFile).GetSection(Bulwark.Core.Signals.Classifiers.ClassifierOptions.Section).Bind(options);
        return options;
    }

    private static IConfigurationRoot Configuration(string? configFile)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        if (configFile is not null)
        {
            if (!File.Exists(configFile)) throw new CliException($"Configuration file not found: {configFile}");
            CliFiles.Check(configFile, CliFiles.ConfigBytes, "the configuration file");
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        }
        return builder.AddEnvironmentVariables().Build();
    }
}

/// <summary>An expected failure with a message for the user; exits with code 1 and no stack trace.</summary>
public sealed class CliException(string message) : Exception(message);
