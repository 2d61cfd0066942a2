using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy.Appeals;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bulwark.Core.Actions.Review;

public static class ReviewRegistration
{
    /// <summary>Review cases: <see cref="ReviewOptions"/> (validated at start-up), the effects that open cases, and the services.</summary>
    public static IServiceCollection AddBulwarkReview(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReviewOptions>().Bind(configuration.GetSection(ReviewOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ReviewOptions>>().Value);
        services.AddSingleton<IAppealSubmissionEffect, ReviewAppealSubmissionEffect>();
        services.AddSingleton<ReviewQueueService>();
        services.AddSingleton<ReviewDetailService>();
        services.AddSingleton<ReviewDecisionService>();
        services.AddSingleton<ReviewQaService>();
        services.AddSingleton<WellnessService>();
        services.AddSingleton<CaseContextService>();
        services.AddSingleton<CaseSearchService>();
        services.AddSingleton<TeamLeadService>();
        services.AddSingleton<CaseNoteService>();
        return services;
    }
}
