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
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        if (configFile is not null)
        {
            if (!File.Exists(configFile)) throw new CliException($"Configuration file not found: {configFile}");
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        }
        var configuration = builder.AddEnvironmentVariables().Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(l => l.AddConfiguration(configuration.GetSection("Logging")).SetMinimumLevel(LogLevel.Warning));
        services.AddBulwarkCore(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}

/// <summary>An expected failure with a message for the user; exits with code 1 and no stack trace.</summary>
public sealed class CliException(string message) : Exception(message);
