Function APV(revenue, purchases)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        APV = XLPy.CallUDF("clv_xl.udfs", "APV", Array(revenue, purchases), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        APV = XLPy.CallUDF("clv_xl.udfs", "APV", Array(revenue, purchases))
        Exit Function
    #End If
failed:
    APV = Err.Description
End Function

Function CAC(acquisition_spend, new_customers)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CAC = XLPy.CallUDF("clv_xl.udfs", "CAC", Array(acquisition_spend, new_customers), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        CAC = XLPy.CallUDF("clv_xl.udfs", "CAC", Array(acquisition_spend, new_customers))
        Exit Function
    #End If
failed:
    CAC = Err.Description
End Function

Function CAC_PAYBACK(cac, margin_per_period)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CAC_PAYBACK = XLPy.CallUDF("clv_xl.udfs", "CAC_PAYBACK", Array(cac, margin_per_period), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        CAC_PAYBACK = XLPy.CallUDF("clv_xl.udfs", "CAC_PAYBACK", Array(cac, margin_per_period))
        Exit Function
    #End If
failed:
    CAC_PAYBACK = Err.Description
End Function

Function CLV(apv, acl, Optional cac, Optional frequency, Optional margin, Optional discount_rate)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CLV = XLPy.CallUDF("clv_xl.udfs", "CLV", Array(apv, acl, cac, frequency, margin, discount_rate), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        CLV = XLPy.CallUDF("clv_xl.udfs", "CLV", Array(apv, acl, cac, frequency, margin, discount_rate))
        Exit Function
    #End If
failed:
    CLV = Err.Description
End Function

Function CLV_RETENTION(margin, retention, Optional discount_rate)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CLV_RETENTION = XLPy.CallUDF("clv_xl.udfs", "CLV_RETENTION", Array(margin, retention, discount_rate), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        CLV_RETENTION = XLPy.CallUDF("clv_xl.udfs", "CLV_RETENTION", Array(margin, retention, discount_rate))
        Exit Function
    #End If
failed:
    CLV_RETENTION = Err.Description
End Function

Function CUSTOMER_VALUE(apv, repeat_rate)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CUSTOMER_VALUE = XLPy.CallUDF("clv_xl.udfs", "CUSTOMER_VALUE", Array(apv, repeat_rate), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        CUSTOMER_VALUE = XLPy.CallUDF("clv_xl.udfs", "CUSTOMER_VALUE", Array(apv, repeat_rate))
        Exit Function
    #End If
failed:
    CUSTOMER_VALUE = Err.Description
End Function

Function LIFESPAN(churn_rate)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        LIFESPAN = XLPy.CallUDF("clv_xl.udfs", "LIFESPAN", Array(churn_rate), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        LIFESPAN = XLPy.CallUDF("clv_xl.udfs", "LIFESPAN", Array(churn_rate))
        Exit Function
    #End If
failed:
    LIFESPAN = Err.Description
End Function

Function LTV_CAC(clv_gross, cac)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        LTV_CAC = XLPy.CallUDF("clv_xl.udfs", "LTV_CAC", Array(clv_gross, cac), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        LTV_CAC = XLPy.CallUDF("clv_xl.udfs", "LTV_CAC", Array(clv_gross, cac))
        Exit Function
    #End If
failed:
    LTV_CAC = Err.Description
End Function

Function PLV(conversion_rate, value_per_customer, cost_per_prospect)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        PLV = XLPy.CallUDF("clv_xl.udfs", "PLV", Array(conversion_rate, value_per_customer, cost_per_prospect), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        PLV = XLPy.CallUDF("clv_xl.udfs", "PLV", Array(conversion_rate, value_per_customer, cost_per_prospect))
        Exit Function
    #End If
failed:
    PLV = Err.Description
End Function

Function REPEAT_RATE(purchases, customers)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        REPEAT_RATE = XLPy.CallUDF("clv_xl.udfs", "REPEAT_RATE", Array(purchases, customers), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        REPEAT_RATE = XLPy.CallUDF("clv_xl.udfs", "REPEAT_RATE", Array(purchases, customers))
        Exit Function
    #End If
failed:
    REPEAT_RATE = Err.Description
End Function

