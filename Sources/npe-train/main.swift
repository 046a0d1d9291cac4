// npe-train: train a neural posterior estimator on a dataset and publish it. The work is in NPETraining.
TrainCommand.main()
