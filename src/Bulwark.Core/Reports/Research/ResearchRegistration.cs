using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bulwark.Core.Reports.Research;

public static class ResearchRegistration
{
    public static IServiceCollection AddBulwarkResearch(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ResearchOptions>().Bind(configuration.GetSection(ResearchOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ResearchOptions>>().Value);
        services.AddSingleton<ResearchIndexer>();
        services.AddSingleton<ResearchTokens>();
        services.AddSingleton<ResearchQuota>();
        services.AddSingleton<ResearchProjects>();
        services.AddSingleton<ResearchQueries>();
        services.AddSingleton<ResearchSearchExpiry>();
        return services;
    }

    public static IServiceCollection AddResearchWorker(IServiceCollection services) =>
        services.AddHostedService<ResearchIndexWorker>().AddHostedService<ResearchSearchExpiryWorker>();
}
