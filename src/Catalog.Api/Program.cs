using Catalog.Api;
using Catalog.Api.Features.Catalog;
using Catalog.Api.Features.Cost;
using Catalog.Api.Features.Dashboard;
using Catalog.Api.Features.Endpoints;
using Catalog.Api.Features.Models;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.AddCatalogServices();
builder.Services.AddEndpointBilling();

var app = builder.Build();
app.UseCatalogErrorHandling();
app.UseStaticFiles();
app.MapOpenApi();
app.MapScalarApiReference(options => options.DisableDefaultFonts());
app.MapCatalog();
app.MapModels();
app.MapCost();
app.MapEndpoints();
app.MapDashboard();

app.Run();
