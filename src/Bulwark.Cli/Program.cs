Console.WriteLine("bulwark");
