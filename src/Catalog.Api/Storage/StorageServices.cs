using Catalog.Api.Features.Alerts;
using Catalog.Api.Storage.LiteDb;

namespace Catalog.Api.Storage;

public static class StorageServices
{
    /// <summary>
    /// The embedded ledger: one <see cref="LedgerDatabase"/> for the process (at <c>Storage:Path</c>,
    /// default <c>data/catalog.db</c> under the content root), the usage, key, endpoint event and alert
    /// stores on it. The file is opened when the host starts, so a second process on the same file fails
    /// start-up, not a request.
    /// </summary>
    public static WebApplicationBuilder AddLedgerStorage(this WebApplicationBuilder builder)
    {
        var options = new StorageOptions();
        builder.Configuration.GetSection("Storage").Bind(options);
        var path = Path.Combine(builder.Environment.ContentRootPath, options.Path);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(_ => new LedgerDatabase(path));
        builder.Services.AddSingleton(sp => new LiteDbUsageStore(sp.GetRequiredService<LedgerDatabase>(), sp.GetRequiredService<TimeProvider>(), options.MaxRecordsPerCommit));
        builder.Services.AddSingleton<IUsageStore>(sp => sp.GetRequiredService<LiteDbUsageStore>());
        builder.Services.AddSingleton<LiteDbKeyStore>();
        builder.Services.AddSingleton<IKeyStore>(sp => sp.GetRequiredService<LiteDbKeyStore>());
        builder.Services.AddSingleton<IEndpointEventStore, LiteDbEndpointEventStore>();
        builder.Services.AddSingleton<IAlertStore, LiteDbAlertStore>();
        builder.Services.AddHostedService<LedgerStartup>();
        return builder;
    }

    /// <summary>Opens the stores at start-up. (The container disposes them: the writer finishes what it was given.)</summary>
    private sealed class LedgerStartup(IServiceProvider services, ILogger<LedgerStartup> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var database = services.GetRequiredService<LedgerDatabase>();
            services.GetRequiredService<IUsageStore>();
            services.GetRequiredService<IKeyStore>();
            services.GetRequiredService<IEndpointEventStore>();
            logger.LogInformation("Usage ledger open at {Path}", database.Path);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
