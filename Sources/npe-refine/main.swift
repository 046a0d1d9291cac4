NPERefine.main()
