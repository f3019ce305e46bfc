using Footage.Data.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Footage.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>Registers the catalog database chosen by <c>Footage:Database</c> and the migration runner.</summary>
    public static IServiceCollection AddFootageDatabase(this IServiceCollection services, string dataDirectory)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IDatabase>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            if (options.IsPostgres)
            {
                if (string.IsNullOrWhiteSpace(options.ConnectionString))
                {
                    throw new OptionsValidationException(DatabaseOptions.Section, typeof(DatabaseOptions),
                        ["Footage:Database:ConnectionString is required when Footage:Database:Provider is 'postgresql'."]);
                }

                return new PostgresDatabase(options.ConnectionString, options.CommandTimeoutSeconds);
            }

            var connectionString = string.IsNullOrWhiteSpace(options.ConnectionString)
                ? $"Data Source={Path.Combine(dataDirectory, "footage.db")}"
                : options.ConnectionString;
            return new SqliteDatabase(connectionString, options.CommandTimeoutSeconds);
        });
        services.TryAddSingleton<MigrationRunner>();
        services.TryAddSingleton<JobLease>();
        services.AddSingleton<IMigrationSource, SharedMigrations>();
        return services;
    }
}
