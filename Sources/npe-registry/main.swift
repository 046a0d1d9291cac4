print("npe-registry")
