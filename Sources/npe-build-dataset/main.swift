// npe-build-dataset: build, import or simulate ExoNPE training datasets. The work is in NPEDatasets.
NPEBuildDataset.main()
