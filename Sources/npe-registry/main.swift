// npe-registry: inspect and maintain an ExoNPE model registry. The commands live beside this file; the work lives in NPERegistry.
RegistryCommand.main()
