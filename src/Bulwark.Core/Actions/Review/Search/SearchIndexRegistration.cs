using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Core.Actions.Review.Search;

public static class SearchIndexRegistration
{
    public static IServiceCollection AddBulwarkSearchIndex(IServiceCollection services) =>
        services.AddSingleton<ContentSearchIndexer>();

    /// <summary>The background indexer (scheduler role); searches also catch up a little before they run.</summary>
    public static IServiceCollection AddSearchIndexWorker(IServiceCollection services) =>
        services.AddHostedService<ContentSearchIndexWorker>();
}
