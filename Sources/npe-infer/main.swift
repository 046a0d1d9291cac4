NPEInfer.main()
