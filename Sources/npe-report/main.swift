NPEReportCommand.main()
