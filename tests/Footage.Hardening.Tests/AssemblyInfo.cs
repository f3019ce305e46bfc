[assembly: Xunit.AssemblyFixture(typeof(Footage.Testing.PostgresServer))]
