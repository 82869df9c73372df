global using System.Net;
global using System.Net.Http.Json;
global using System.Text.Json;
global using CadapDrafting.Tests.Fixtures;
global using CadapDrafting.Drafts.Writing;
