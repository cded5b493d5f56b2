Attribute VB_Name = "xlwings_udfs"
' The CLV functions, written by clv_xl at install time with xlwings' generator; changes are lost.
#Const App = "Microsoft Excel"
Function APV(revenue, Optional purchases)
    If ActiveWorkbook Is Nothing Then APV = "#N/A no workbook was active while Excel calculated this cell (e.g. one in Protected View had the focus): press Ctrl+Alt+F9 to calculate again": Exit Function
    If (Not Application.CommandBars("Standard").Controls(1).Enabled) Then Exit Function
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

Function BGNBD_FIT(frequency, recency, T, Optional penalizer)
    If ActiveWorkbook Is Nothing Then BGNBD_FIT = "#N/A no workbook was active while Excel calculated this cell (e.g. one in Protected View had the focus): press Ctrl+Alt+F9 to calculate again": Exit Function
    If (Not Application.CommandBars("Standard").Controls(1).Enabled) Then Exit Function
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        BGNBD_FIT = XLPy.CallUDF("clv_xl.udfs", "BGNBD_FIT", Array(frequency, recency, T, penalizer), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        BGNBD_FIT = XLPy.CallUDF("clv_xl.udfs", "BGNBD_FIT", Array(frequency, recency, T, penalizer))
        Exit Function
    #End If
failed:
    BGNBD_FIT = Err.Description
End Function

Function CAC(acquisition_spend, new_customers)
    If ActiveWorkbook Is Nothing Then CAC = "#N/A no workbook was active while Excel calculated this cell (e.g. one in Protected View had the focus): press Ctrl+Alt+F9 to calculate again": Exit Function
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
    If ActiveWorkbook Is Nothing Then CAC_PAYBACK = "#N/A no workbook was active while Excel calculated this cell (e.g. one in Protected View had the focus): press Ctrl+Alt+F9 to calculate again": Exit Function
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

Function CHURN_RATE(customer_ids, dates)
    If ActiveWorkbook Is Nothing Then CHURN_RATE = "#N/A no workbook was active while Excel calculated this cell (e.g. one in Protected View had the focus): press Ctrl+Alt+F9 to calculate again": Exit Function
    If (Not Application.CommandBars("Standard").Controls(1).Enabled) Then Exit Function
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CHURN_RATE = XLPy.CallUDF("clv_xl.udfs", "CHURN_RATE", Array(customer_ids, dates), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        CHURN_RATE = XLPy.CallUDF("clv_xl.udfs", "CHURN_RATE", Array(customer_ids, dates))
        Exit Function
    #End If
failed:
    CHURN_RATE = Err.Description
End Function

Function CLV(apv, acl, Optional cac, Optional frequency, Optional margin, Optional discount_rate)
    If ActiveWorkbook Is Nothing Then CLV = "#N/A no workbook was active while Excel calculated this cell (e.g. one in Protected View had the focus): press Ctrl+Alt+F9 to calculate again": Exit Function
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

Function CLV_CUSTOMERS(customer_ids, dates, amounts)
    If ActiveWorkbook Is Nothing Then CLV_CUSTOMERS = "#N/A no workbook was active while Excel calculated this cell (e.g. one in Protected View had the focus): press Ctrl+Alt+F9 to calculate again": Exit Function
    If (Not Application.CommandBars("Standard").Controls(1).Enabled) Then Exit Function
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CLV_CUSTOMERS = XLPy.CallUDF("clv_xl.udfs", "CLV_CUSTOMERS", Array(customer_ids, dates, amounts), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        CLV_CUSTOMERS = XLPy.CallUDF("clv_xl.udfs", "CLV_CUSTOMERS", Array(customer_ids, dates, amounts))
        Exit Function
    #End If
failed:
    CLV_CUSTOMERS = Err.Description
End Function

Function CLV_PREDICT(customer_ids, dates, amounts, horizon, discount_rate, Optional time_unit, Optional model)
    If ActiveWorkbook Is Nothing Then CLV_PREDICT = "#N/A no workbook was active while Excel calculated this cell (e.g. one in Protected View had the focus): press Ctrl+Alt+F9 to calculate again": Exit Function
    If (Not Application.CommandBars("Standard").Controls(1).Enabled) Then Exit Function
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CLV_PREDICT = XLPy.CallUDF("clv_xl.udfs", "CLV_PREDICT", Array(customer_ids, dates, amounts, horizon, discount_rate, time_unit, model), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        CLV_PREDICT = XLPy.CallUDF("clv_xl.udfs", "CLV_PREDICT", Array(customer_ids, dates, amounts, horizon, discount_rate, time_unit, model))
        Exit Function
    #End If
failed:
    CLV_PREDICT = Err.Description
End Function

Function CLV_RETENTION(margin, retention, Optional discount_rate)
    If ActiveWorkbook Is Nothing Then CLV_RETENTION = "#N/A no workbook was active while Excel calculated this cell (e.g. one in Protected View had the focus): press Ctrl+Alt+F9 to calculate again": Exit Function
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

Function CLV_SUMMARY(customer_ids, dates, amounts, Optional cac, Optional segments, Optional annual_churn)
    If ActiveWorkbook Is Nothing Then CLV_SUMMARY = "#N/A no workbook was active while Excel calculated this cell (e.g. one in Protected View had the focus): press Ctrl+Alt+F9 to calculate again": Exit Function
    If (Not Application.CommandBars("Standard").Controls(1).Enabled) Then Exit Function
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CLV_SUMMARY = XLPy.CallUDF("clv_xl.udfs", "CLV_SUMMARY", Array(customer_ids, dates, amounts, cac, segments, annual_churn), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        CLV_SUMMARY = XLPy.CallUDF("clv_xl.udfs", "CLV_SUMMARY", Array(customer_ids, dates, amounts, cac, segments, annual_churn))
        Exit Function
    #End If
failed:
    CLV_SUMMARY = Err.Description
End Function

Function CUSTOMER_VALUE(apv, repeat_rate)
    If ActiveWorkbook Is Nothing Then CUSTOMER_VALUE = "#N/A no workbook was active while Excel calculated this cell (e.g. one in Protected View had the focus): press Ctrl+Alt+F9 to calculate again": Exit Function
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

Function GAMMAGAMMA_FIT(frequency, monetary_value, Optional penalizer)
    If ActiveWorkbook Is Nothing Then GAMMAGAMMA_FIT = "#N/A no workbook was active while Excel calculated this cell (e.g. one in Protected View had the focus): press Ctrl+Alt+F9 to calculate again": Exit Function
    If (Not Application.CommandBars("Standard").Controls(1).Enabled) Then Exit Function
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        GAMMAGAMMA_FIT = XLPy.CallUDF("clv_xl.udfs", "GAMMAGAMMA_FIT", Array(frequency, monetary_value, penalizer), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        GAMMAGAMMA_FIT = XLPy.CallUDF("clv_xl.udfs", "GAMMAGAMMA_FIT", Array(frequency, monetary_value, penalizer))
        Exit Function
    #End If
failed:
    GAMMAGAMMA_FIT = Err.Description
End Function

Function LIFESPAN(churn_rate)
    If ActiveWorkbook Is Nothing Then LIFESPAN = "#N/A no workbook was active while Excel calculated this cell (e.g. one in Protected View had the focus): press Ctrl+Alt+F9 to calculate again": Exit Function
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
    If ActiveWorkbook Is Nothing Then LTV_CAC = "#N/A no workbook was active while Excel calculated this cell (e.g. one in Protected View had the focus): press Ctrl+Alt+F9 to calculate again": Exit Function
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

Function MBGNBD_FIT(frequency, recency, T, Optional penalizer)
    If ActiveWorkbook Is Nothing Then MBGNBD_FIT = "#N/A no workbook was active while Excel calculated this cell (e.g. one in Protected View had the focus): press Ctrl+Alt+F9 to calculate again": Exit Function
    If (Not Application.CommandBars("Standard").Controls(1).Enabled) Then Exit Function
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        MBGNBD_FIT = XLPy.CallUDF("clv_xl.udfs", "MBGNBD_FIT", Array(frequency, recency, T, penalizer), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        MBGNBD_FIT = XLPy.CallUDF("clv_xl.udfs", "MBGNBD_FIT", Array(frequency, recency, T, penalizer))
        Exit Function
    #End If
failed:
    MBGNBD_FIT = Err.Description
End Function

Function PARETO_NBD_FIT(frequency, recency, T, Optional penalizer)
    If ActiveWorkbook Is Nothing Then PARETO_NBD_FIT = "#N/A no workbook was active while Excel calculated this cell (e.g. one in Protected View had the focus): press Ctrl+Alt+F9 to calculate again": Exit Function
    If (Not Application.CommandBars("Standard").Controls(1).Enabled) Then Exit Function
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        PARETO_NBD_FIT = XLPy.CallUDF("clv_xl.udfs", "PARETO_NBD_FIT", Array(frequency, recency, T, penalizer), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        PARETO_NBD_FIT = XLPy.CallUDF("clv_xl.udfs", "PARETO_NBD_FIT", Array(frequency, recency, T, penalizer))
        Exit Function
    #End If
failed:
    PARETO_NBD_FIT = Err.Description
End Function

Function PLV(conversion_rate, value_per_customer, cost_per_prospect)
    If ActiveWorkbook Is Nothing Then PLV = "#N/A no workbook was active while Excel calculated this cell (e.g. one in Protected View had the focus): press Ctrl+Alt+F9 to calculate again": Exit Function
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

Function PURCHASES_EXPECTED(params, horizon, frequency, recency, T)
    If ActiveWorkbook Is Nothing Then PURCHASES_EXPECTED = "#N/A no workbook was active while Excel calculated this cell (e.g. one in Protected View had the focus): press Ctrl+Alt+F9 to calculate again": Exit Function
    If (Not Application.CommandBars("Standard").Controls(1).Enabled) Then Exit Function
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        PURCHASES_EXPECTED = XLPy.CallUDF("clv_xl.udfs", "PURCHASES_EXPECTED", Array(params, horizon, frequency, recency, T), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        PURCHASES_EXPECTED = XLPy.CallUDF("clv_xl.udfs", "PURCHASES_EXPECTED", Array(params, horizon, frequency, recency, T))
        Exit Function
    #End If
failed:
    PURCHASES_EXPECTED = Err.Description
End Function

Function P_ALIVE(params, frequency, recency, T)
    If ActiveWorkbook Is Nothing Then P_ALIVE = "#N/A no workbook was active while Excel calculated this cell (e.g. one in Protected View had the focus): press Ctrl+Alt+F9 to calculate again": Exit Function
    If (Not Application.CommandBars("Standard").Controls(1).Enabled) Then Exit Function
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        P_ALIVE = XLPy.CallUDF("clv_xl.udfs", "P_ALIVE", Array(params, frequency, recency, T), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        P_ALIVE = XLPy.CallUDF("clv_xl.udfs", "P_ALIVE", Array(params, frequency, recency, T))
        Exit Function
    #End If
failed:
    P_ALIVE = Err.Description
End Function

Function REPEAT_RATE(purchases, Optional customers)
    If ActiveWorkbook Is Nothing Then REPEAT_RATE = "#N/A no workbook was active while Excel calculated this cell (e.g. one in Protected View had the focus): press Ctrl+Alt+F9 to calculate again": Exit Function
    If (Not Application.CommandBars("Standard").Controls(1).Enabled) Then Exit Function
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

Function RETENTION_COHORTS(customer_ids, dates, Optional period)
    If ActiveWorkbook Is Nothing Then RETENTION_COHORTS = "#N/A no workbook was active while Excel calculated this cell (e.g. one in Protected View had the focus): press Ctrl+Alt+F9 to calculate again": Exit Function
    If (Not Application.CommandBars("Standard").Controls(1).Enabled) Then Exit Function
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        RETENTION_COHORTS = XLPy.CallUDF("clv_xl.udfs", "RETENTION_COHORTS", Array(customer_ids, dates, period), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        RETENTION_COHORTS = XLPy.CallUDF("clv_xl.udfs", "RETENTION_COHORTS", Array(customer_ids, dates, period))
        Exit Function
    #End If
failed:
    RETENTION_COHORTS = Err.Description
End Function

Function SPEND_EXPECTED(gg_params, frequency, monetary_value)
    If ActiveWorkbook Is Nothing Then SPEND_EXPECTED = "#N/A no workbook was active while Excel calculated this cell (e.g. one in Protected View had the focus): press Ctrl+Alt+F9 to calculate again": Exit Function
    If (Not Application.CommandBars("Standard").Controls(1).Enabled) Then Exit Function
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        SPEND_EXPECTED = XLPy.CallUDF("clv_xl.udfs", "SPEND_EXPECTED", Array(gg_params, frequency, monetary_value), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        SPEND_EXPECTED = XLPy.CallUDF("clv_xl.udfs", "SPEND_EXPECTED", Array(gg_params, frequency, monetary_value))
        Exit Function
    #End If
failed:
    SPEND_EXPECTED = Err.Description
End Function

