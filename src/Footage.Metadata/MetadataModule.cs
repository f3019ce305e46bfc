using Footage.Core.Custody;
using Footage.Core.Segments;
using Footage.Data.Migrations;
using Footage.Metadata.Annotations;
using Footage.Metadata.Custody;
using Footage.Metadata.Holds;
using Footage.Metadata.Incidents;
using Footage.Metadata.Search;
using Footage.Metadata.Tags;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Footage.Metadata;

/// <summary>The Metadata module: tags, timeline annotations, incidents, search, chain of custody, evidence holds.</summary>
public static class MetadataModule
{
    public static WebApplicationBuilder AddMetadata(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MetadataOptions>().BindConfiguration(MetadataOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IMigrationSource, MetadataMigrations>();
        services.AddSingleton<TagRepository>();
        services.AddSingleton<AnnotationRepository>();
        services.AddSingleton<IncidentRepository>();
        services.AddSingleton<IncidentTextStatistics>();
        services.AddSingleton(sp => new IncidentSearchPlanner(sp.GetRequiredService<IncidentTextStatistics>()));
        services.AddSingleton<IncidentSearch>();
        services.AddSingleton<SegmentSearch>();
        services.AddSingleton<Search.Unified.SearchEntryTextStatistics>();
        services.AddSingleton(sp => new Search.Unified.UnifiedSearchPlanner(sp.GetRequiredService<Search.Unified.SearchEntryTextStatistics>()));
        services.AddSingleton<Search.Unified.UnifiedSearch>();
        // every caller sees every camera until rights per group of cameras replace this
        services.TryAddSingleton<Core.Cameras.ICameraVisibility, Core.Cameras.EveryCameraVisible>();
        services.AddSingleton<CustodyLog>();
        services.AddSingleton<FootageCustody>();
        // replaces the no-op default other modules register, whichever module is added first
        services.Replace(ServiceDescriptor.Singleton<IFootageCustody>(sp => sp.GetRequiredService<FootageCustody>()));
        services.AddSingleton<IncidentHolds>();
        services.AddSingleton<Data.IDatabaseStartupTask, IncidentHoldSync>();
        services.Replace(ServiceDescriptor.Singleton<Core.Incidents.IIncidentDirectory, IncidentDirectory>());
        services.AddSingleton<Core.Timeline.ITimelineMarkerSource, Timeline.MetadataTimelineMarkers>();
        return builder;
    }

    public static IEndpointRouteBuilder MapMetadataApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapTagsApi();
        endpoints.MapAnnotationsApi();
        endpoints.MapIncidentsApi();
        endpoints.MapSearchApi();
        return endpoints;
    }
}
